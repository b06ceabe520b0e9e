"""The one query: exact counts at thresholds and exact nearest ranks, in the engine.

Written once (DuckDB's dialect, below) and transpiled with sqlglot to the engine's dialect;
the spec's ``from`` is parsed in the engine's own dialect and put in place of ``__source__``.
The engine scans and sorts; p0gate receives one row:

    n, n_values, min, max, sum, below_0, upto_0, …, rank_0, …

``below_i``/``upto_i`` count values ``<`` / ``<=`` threshold ``i``; ``rank_j`` is the value
at nearest rank ``max(1, ceil(q_j/100 · n_values))``, computed in integers
(``(p·n + d - 1) DIV d`` with ``q/100 = p/d``), so no engine rounds it. Ties are ranked by
``ROW_NUMBER`` over the values, so the r-th smallest value is exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

TEMPLATE = """
WITH s AS (SELECT CAST(__column__ AS DOUBLE) AS v FROM __source__ {where}),
a AS (SELECT COUNT(*) AS n, COUNT(v) AS n_values, MIN(v) AS lo, MAX(v) AS hi,
             SUM(CAST(v AS DECIMAL(38, 9))) AS total{counts} FROM s),
r AS (SELECT v, ROW_NUMBER() OVER (ORDER BY v) AS rn FROM s WHERE v IS NOT NULL)
SELECT a.n, a.n_values, a.lo, a.hi, a.total{outer_counts}{ranks}
FROM a LEFT JOIN r ON 1 = 1
GROUP BY a.n, a.n_values, a.lo, a.hi, a.total{outer_counts}
"""
# SQLAlchemy dialect names → sqlglot dialects
DIALECTS = {"duckdb": "duckdb", "postgresql": "postgres", "mysql": "mysql",
            "trino": "trino", "bigquery": "bigquery", "clickhouse": "clickhouse",
            "spark": "spark", "databricks": "databricks", "hive": "hive",
            "snowflake": "snowflake", "mssql": "tsql", "sqlite": "sqlite", "presto": "presto"}


def rank_fraction(stat: str) -> Fraction:
    """q/100 as an exact fraction: p99.9 → 999/1000; min → 0; max → 1."""
    if stat in {"min", "max"}:
        return Fraction(0 if stat == "min" else 1)
    return Fraction(Decimal(stat[1:])) / 100


def template(thresholds: Sequence[float], stats: Sequence[str], *, column: str,
             time: str | None, start: datetime | None, end: datetime | None) -> str:
    """The query in DuckDB's dialect with ``__source__`` and ``__column__`` in place;
    ``thresholds`` are in the column's unit."""
    where = ""
    if time is not None and start is not None and end is not None:
        where = (f"WHERE __time__ >= TIMESTAMP '{_utc(start)}' "
                 f"AND __time__ < TIMESTAMP '{_utc(end)}'")
    counts = "".join(f", SUM(CASE WHEN v < {t!r} THEN 1 ELSE 0 END) AS below_{i}, "
                     f"SUM(CASE WHEN v <= {t!r} THEN 1 ELSE 0 END) AS upto_{i}"
                     for i, t in enumerate(thresholds))
    outer = "".join(f", a.below_{i}, a.upto_{i}" for i in range(len(thresholds)))
    ranks = "".join(f", MAX(CASE WHEN r.rn = {_rank_sql(s)} THEN r.v END) AS rank_{j}"
                    for j, s in enumerate(stats))
    return TEMPLATE.format(where=where, counts=counts, outer_counts=outer, ranks=ranks)


def _rank_sql(stat: str) -> str:
    f = rank_fraction(stat)
    p, d = f.numerator, f.denominator
    return f"GREATEST(1, (a.n_values * {p} + {d - 1}) // {d})"


def _utc(moment: datetime) -> str:
    from datetime import UTC

    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def build(thresholds: Sequence[float], stats: Sequence[str], *, source: str, column: str,
          time: str | None, dialect: str,
          start: datetime | None = None, end: datetime | None = None) -> str:
    """The one query for ``dialect`` (a sqlglot dialect name)."""
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(template(thresholds, stats, column=column, time=time, start=start,
                                      end=end),
                             read="duckdb")
    origin = sqlglot.parse_one(f"SELECT * FROM {source}", read=dialect).args["from_"].this
    names = {"__column__": column, "__time__": time or ""}

    def swap(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Table) and node.name == "__source__":
            copied: exp.Expression = origin.copy()
            return copied
        if isinstance(node, exp.Column) and node.name in names:
            return exp.column(exp.to_identifier(names[node.name], quoted=True))
        return node

    return tree.transform(swap).sql(dialect=dialect)


def parse_row(row: Sequence[Any], thresholds: int, stats: int) -> dict[str, Any]:
    """The query's one row as named values."""
    names = ["n", "n_values", "min", "max", "sum"]
    names += [f"{kind}_{i}" for i in range(thresholds) for kind in ("below", "upto")]
    names += [f"rank_{j}" for j in range(stats)]
    if len(row) != len(names):
        raise ValueError(f"the query returned {len(row)} columns, expected {len(names)}")
    return dict(zip(names, row, strict=True))
