"""Write a small hive-partitioned Parquet dataset with pyarrow, as a telemetry lake would.

    .venv/bin/python tests/data/dataset/make_fixtures.py

``crisis/day=2025-10-0N/part-0.parquet`` (3 days, 1,000 latencies each in ms, with ties on
200.0) and ``crisis.csv`` with the same values. ``SHA256SUMS`` lists every file as the
manifest's ``files:`` would.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.dataset as pds

HERE = Path(__file__).resolve().parent


def values() -> np.ndarray:
    rng = np.random.default_rng(20251014)
    base = np.round(rng.lognormal(mean=4.2, sigma=0.6, size=2990), 3)
    return np.concatenate([base, np.full(10, 200.0)])


def main() -> None:
    latency = values()
    days = np.repeat(["2025-10-01", "2025-10-02", "2025-10-03"], 1000)
    table = pa.table({"latency_ms": latency, "request": np.arange(latency.size),
                      "day": days})
    pds.write_dataset(table, HERE / "crisis", format="parquet", partitioning=["day"],
                      partitioning_flavor="hive", existing_data_behavior="delete_matching",
                      basename_template="part-{i}.parquet")
    pcsv.write_csv(table.select(["latency_ms", "request"]), HERE / "crisis.csv")
    lines = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(HERE / 'crisis')}"
             for p in sorted((HERE / "crisis").rglob("*.parquet"))]
    (HERE / "SHA256SUMS").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
