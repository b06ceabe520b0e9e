"""Run the one query on a SQL engine and write its exact answers as an artifact.

Engines: DuckDB (``duckdb:///:memory:`` or ``duckdb:///FILE``, embedded, spilling under a
memory limit), Spark SQL (``spark://local[N]`` in-process via pyspark, or a cluster master
URL), and any other SQLAlchemy URL (the dialect chooses sqlglot's target).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from p0gate.collect.query import DIALECTS, build, parse_row
from p0gate.errors import EvidenceError
from p0gate.evidence.histograms.answers import FORMAT


@dataclass(frozen=True)
class Engine:
    """Where the query runs: its sqlglot dialect and version, and how to get one row."""

    dialect: str
    version: str
    url: str

    def one_row(self, sql: str) -> tuple[Any, ...]:
        scheme = self.url.split(":", 1)[0]
        if scheme == "duckdb":
            return _duckdb_row(self.url, sql)
        if scheme == "spark":
            return _spark_row(self.url, sql)
        return _sqlalchemy_row(self.url, sql)


def engine_for(url: str) -> Engine:
    """The engine a source URL names, with the version it reports."""
    from sqlalchemy.engine import make_url

    scheme = url.split(":", 1)[0]
    if scheme == "duckdb":
        import duckdb

        return Engine("duckdb", f"duckdb {duckdb.__version__}", url)
    if scheme == "spark":
        import pyspark

        return Engine("spark", f"spark {pyspark.__version__}", url)
    backend = make_url(url).get_backend_name()
    if backend not in DIALECTS:
        raise EvidenceError(f"source {safe_url(url)}: no SQL dialect known for {backend!r}")
    return Engine(DIALECTS[backend], _server_version(url), url)


def safe_url(url: str) -> str:
    """The URL without its password (provenance must not leak credentials)."""
    if url.startswith(("duckdb:", "spark:")):
        return url
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _server_version(url: str) -> str:
    from sqlalchemy import create_engine

    engine = create_engine(_driver_url(url))
    try:
        with engine.connect() as conn:
            info = conn.dialect.server_version_info or ()
        return f"{engine.dialect.name} {'.'.join(str(p) for p in info)}"
    finally:
        engine.dispose()


def _duckdb_row(url: str, sql: str) -> tuple[Any, ...]:
    from p0gate.evidence.dataset_duckdb import connect

    path = url.split(":///", 1)[1] if ":///" in url else ":memory:"
    con = connect() if path in {"", ":memory:"} else _duckdb_file(path)
    row = con.execute(sql).fetchone()
    return tuple(row)


def _duckdb_file(path: str) -> Any:
    import duckdb

    return duckdb.connect(path, read_only=True)


def _driver_url(url: str) -> Any:
    """PostgreSQL through psycopg 3 (the driver p0gate ships), others as given."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    return parsed


def _sqlalchemy_row(url: str, sql: str) -> tuple[Any, ...]:
    from sqlalchemy import create_engine, text

    engine = create_engine(_driver_url(url))
    try:
        with engine.connect() as conn:
            return tuple(conn.execute(text(sql)).one())
    finally:
        engine.dispose()


def _spark_row(url: str, sql: str) -> tuple[Any, ...]:
    from pyspark.sql import SparkSession

    master = url.split("://", 1)[1]
    spark = SparkSession.builder.master(master).appName("p0gate-collect").getOrCreate()
    return tuple(spark.sql(sql).collect()[0])


def collect_sql(url: str, *, source: str, column: str, time: str | None,
                thresholds: Sequence[float], stats: Sequence[str], start: datetime | None,
                end: datetime | None, unit: str) -> dict[str, Any]:
    """Run the one query; the exact-answers document (data plus provenance). Thresholds
    are in the column's ``unit``."""
    engine = engine_for(url)
    sql = build(thresholds, stats, source=source, column=column, time=time,
                dialect=engine.dialect, start=start, end=end)
    try:
        values = parse_row(engine.one_row(sql), len(thresholds), len(stats))
    except Exception as exc:  # the driver's own error types vary by engine
        raise EvidenceError(f"source {safe_url(url)}: the query failed: "
                            f"{type(exc).__name__}: {str(exc).splitlines()[0]}") from None
    _check(values, url)
    return _document(values, thresholds, stats, unit, provenance={
        "source": safe_url(url), "engine": engine.version, "dialect": engine.dialect,
        "query": sql, "from": _iso(start), "to": _iso(end), "rows": int(values["n"])})


def _check(values: dict[str, Any], url: str) -> None:
    """Fail closed: empty cells, NaN, infinities or negative latencies."""
    n, n_values, low, high = values["n"], values["n_values"], values["min"], values["max"]
    if n != n_values:
        raise EvidenceError(f"source {safe_url(url)}: {n - n_values} rows have no value")
    if n and not (math.isfinite(float(low)) and math.isfinite(float(high)) and low >= 0):
        raise EvidenceError(f"source {safe_url(url)}: values range {low}..{high}: NaN, "
                            "infinite or negative latencies")


def _document(values: dict[str, Any], thresholds: Sequence[float], stats: Sequence[str],
              unit: str,
              provenance: dict[str, Any]) -> dict[str, Any]:
    n = int(values["n"])
    from p0gate.evidence.histograms.model import rank

    return {"format": FORMAT, "unit": unit, "count": n,
            "sum": float(values["sum"]) if n else None,
            "min": float(values["min"]) if n else None,
            "max": float(values["max"]) if n else None,
            "thresholds": [{"at": repr(t), "below": int(values[f"below_{i}"] or 0),
                            "at_most": int(values[f"upto_{i}"] or 0)}
                           for i, t in enumerate(thresholds)],
            "ranks": [{"stat": s, "rank": rank(s, n), "value": float(values[f"rank_{j}"])}
                      for j, s in enumerate(stats) if n],
            "provenance": provenance}


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")
