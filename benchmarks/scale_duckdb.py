"""The baseline: DuckDB computing the same numbers in one query on the same files."""

from __future__ import annotations

import sys

import duckdb

QUERY = """
SELECT count(*),
       count(*) FILTER (WHERE latency_ms < 200), count(*) FILTER (WHERE latency_ms <= 200),
       count(*) FILTER (WHERE latency_ms < 500), count(*) FILTER (WHERE latency_ms <= 500),
       quantile_disc(latency_ms, [0.5, 0.95, 0.99, 0.999]), max(latency_ms)
FROM read_parquet(?)
"""


def main(lake: str) -> None:
    print(duckdb.connect().execute(QUERY, [f"{lake}/*/*.parquet"]).fetchone())


if __name__ == "__main__":
    main(sys.argv[1])
