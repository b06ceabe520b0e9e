"""Exact answers on large sample files with DuckDB: out of core, under a memory limit.

Two passes over the files, neither of which sorts them:

1. one aggregate pass grouped by a *bin* of each value, ``floor(sqrt(sqrt(v)) · 1024)``:
   per bin the count, min, max, sum and the counts ``< t`` and ``<= t`` per threshold, and
   the rows that are empty, NaN, infinite or negative (an error). IEEE 754 rounds ``sqrt``
   and the multiplication correctly, so the bin never decreases as the value grows: the bins
   are contiguous ranges of values, and the cumulative counts name the bin holding each
   nearest rank ``r`` and how many values lie before it (about 0.1% of the values at the
   median of a latency distribution fall in one bin);
2. one pass fetching the values of those bins (``v BETWEEN min AND max`` of the bin: exactly
   its values); the rank is the ``(r - before)``-th smallest of them (``np.partition``). A
   bin whose min equals its max needs no fetch (ties); a bin too large to fetch is left to
   DuckDB (``ORDER BY v LIMIT 1 OFFSET k-1`` within the bin, spilling to disk).

DuckDB's ``quantile_disc`` agreed with the nearest rank in our tests, but it holds every value
in memory (16 GB for a billion) and its rank rule is not documented as ``ceil(q·n)``; it is
not used.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, localcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from p0gate.errors import EvidenceError
from p0gate.evidence.dataset import SampleAnswers
from p0gate.evidence.histograms.model import rank

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from p0gate.evidence.dataset import LatencyDataset
    from p0gate.evidence.latency import Where

MEMORY_LIMIT = "512MB"
FETCH_MAX = 16_000_000  # values fetched into numpy in one pass, at most (128 MB)
SUM_TYPE = "DECIMAL(38, 9)"  # a float sum depends on the threads' order; this one does not
BIN = "CASE WHEN isfinite(v) AND v >= 0 THEN floor(sqrt(sqrt(v)) * 1024) END"
_NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
            "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE", "DECIMAL", "REAL")
_FILTERABLE = ("VARCHAR", "BOOLEAN", *_NUMERIC[:9])


def connect(temp_dir: Path | None = None, memory_limit: str = MEMORY_LIMIT) -> Any:
    """An in-memory DuckDB that spills to ``temp_dir`` under a memory limit, rows in any
    order."""
    import duckdb

    config: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": memory_limit, "preserve_insertion_order": False}
    if temp_dir is not None:
        config["temp_directory"] = str(temp_dir)
    return duckdb.connect(":memory:", config=config)


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def reader(paths: Sequence[Path], fmt: str) -> str:
    """DuckDB's reader over exactly these files (partition folders are not columns)."""
    files = "[" + ", ".join(quote(str(p)) for p in paths) + "]"
    if fmt == "parquet":
        return f"read_parquet({files}, hive_partitioning = false)"
    return f"read_csv({files}, header = true, auto_detect = true)"


@dataclass(frozen=True)
class Source:
    """One column of verified files as ``v`` (DOUBLE), with an optional SQL filter."""

    paths: tuple[Path, ...]
    fmt: str
    column: str
    where: str
    name: str
    temp_dir: Path | None = None

    def sql(self) -> str:
        condition = f" WHERE {self.where}" if self.where else ""
        return (f"(SELECT CAST({ident(self.column)} AS DOUBLE) AS v "
                f"FROM {reader(self.paths, self.fmt)}{condition})")


def _fail(name: str, exc: Exception) -> EvidenceError:
    return EvidenceError(f"{name}: {type(exc).__name__}: {str(exc).splitlines()[0]}")


def _rows(con: Any, sql: str, name: str) -> list[tuple[Any, ...]]:
    import duckdb

    try:
        return [tuple(r) for r in con.execute(sql).fetchall()]
    except duckdb.Error as exc:
        raise _fail(name, exc) from None


def _fetch(con: Any, sql: str, name: str) -> npt.NDArray[np.float64]:
    import duckdb
    import numpy as np

    try:
        column = con.execute(sql).fetchnumpy()["v"]
    except duckdb.Error as exc:
        raise _fail(name, exc) from None
    return np.asarray(np.ma.getdata(column), dtype=np.float64)


def describe(paths: Sequence[Path], fmt: str, name: str) -> dict[str, str]:
    """Column name → DuckDB type of the files."""
    rows = _rows(connect(), f"DESCRIBE SELECT * FROM {reader(paths, fmt)}", name)
    return {str(r[0]): str(r[1]) for r in rows}


def is_numeric(column_type: str) -> bool:
    return column_type.split("(")[0] in _NUMERIC


def where_sql(dataset: LatencyDataset, where: Where) -> str:
    """``where`` as SQL: the column's distinct values, folded as ``where`` compares them,
    decide which raw values match (``FALSE`` when none do)."""
    from p0gate.evidence.latency import filter_column, matching

    schema = dataset.schema()
    parts = []
    for wanted_column, wanted in where:
        column = filter_column(list(schema), wanted_column, dataset.name)
        if schema[column].split("(")[0] not in _FILTERABLE:
            raise EvidenceError(f"{dataset.name}: `where` compares text or whole numbers; "
                                f"column {column!r} is {schema[column]}")
        text = f"CAST({ident(column)} AS VARCHAR)"
        distinct = _rows(connect(), f"SELECT DISTINCT {text} FROM "
                         f"{reader(dataset.files.paths, dataset.fmt)}", dataset.name)
        hits = matching([r[0] for r in distinct if r[0] is not None], wanted)
        parts.append(f"{text} IN ({', '.join(quote(h) for h in hits)})" if hits else "FALSE")
    return " AND ".join(parts)


def _bad_values(source: Source) -> EvidenceError:
    return EvidenceError(f"{source.name}: column {source.column!r} has empty, NaN, infinite "
                         "or negative values")


@dataclass(frozen=True)
class Bin:
    """Values ``low..high`` (all of them in the files), ``count`` of them, ``before`` smaller."""

    low: float
    high: float
    count: int
    before: int


def _binned(con: Any, source: Source, thresholds: Sequence[float]) -> list[tuple[Any, ...]]:
    cols = ["count(*)", "min(v)", "max(v)", f"sum(CAST(v AS {SUM_TYPE}))"]
    cols += [f"count(*) FILTER (WHERE v {op} {t!r})" for t in thresholds for op in ("<", "<=")]
    return _rows(con, f"SELECT b, {', '.join(cols)} FROM (SELECT v, {BIN} AS b FROM "
                 f"{source.sql()}) GROUP BY b", source.name)


def answer(source: Source, thresholds: Sequence[float], stats: Sequence[str]) -> SampleAnswers:
    """The exact answers (see the module docstring)."""
    con = connect(source.temp_dir)
    rows = _binned(con, source, thresholds)
    if any(r[0] is None for r in rows):
        raise _bad_values(source)
    rows.sort(key=lambda r: float(r[0]))
    n = sum(int(r[1]) for r in rows)
    below = {t: sum(int(r[5 + 2 * i]) for r in rows) for i, t in enumerate(thresholds)}
    at_most = {t: sum(int(r[6 + 2 * i]) for r in rows) for i, t in enumerate(thresholds)}
    if n == 0:
        return SampleAnswers(0, below, at_most, {}, None)
    wanted = {s: rank(s, n) for s in stats}
    values = _at_ranks(con, source, _bins(rows), sorted(set(wanted.values())))
    with localcontext() as exact:
        exact.prec = 80
        mean = float(sum((Decimal(r[4]) for r in rows), Decimal(0)) / n)
    return SampleAnswers(n, below, at_most, {s: values[r] for s, r in wanted.items()}, mean)


def _bins(rows: list[tuple[Any, ...]]) -> list[Bin]:
    bins, before = [], 0
    for row in rows:
        bins.append(Bin(float(row[2]), float(row[3]), int(row[1]), before))
        before += int(row[1])
    return bins


def _holding(bins: list[Bin], r: int) -> Bin:
    return next(b for b in bins if b.before < r <= b.before + b.count)


def _at_ranks(con: Any, source: Source, bins: list[Bin], ranks: list[int]) -> dict[int, float]:
    """The value at each rank: from the bin's bounds when they agree, else by a fetch of the
    bins' values (one pass), else by DuckDB sorting within a bin too large to fetch."""
    found: dict[int, float] = {}
    holding = {r: _holding(bins, r) for r in ranks}
    fetch, budget = [], FETCH_MAX
    for r, b in holding.items():
        if b.low == b.high:
            found[r] = b.low
        elif b not in fetch and b.count <= budget:
            fetch.append(b)
            budget -= b.count
    if fetch:
        ranges = " OR ".join(f"(v >= {b.low!r} AND v <= {b.high!r})" for b in fetch)
        values = _fetch(con, f"SELECT v FROM {source.sql()} WHERE {ranges}", source.name)
        for b in fetch:
            inside = values[(values >= b.low) & (values <= b.high)]
            wanted = {r: r - b.before - 1 for r, h in holding.items() if h == b}
            inside.partition(sorted(set(wanted.values())))
            found.update({r: float(inside[k]) for r, k in wanted.items()})
    for r, b in holding.items():
        if r not in found:
            found[r] = _sorted_within(con, source, b, r - b.before)
    return found


def _sorted_within(con: Any, source: Source, b: Bin, k: int) -> float:
    sql = (f"SELECT v FROM {source.sql()} WHERE v >= {b.low!r} AND v <= {b.high!r} "
           f"ORDER BY v LIMIT 1 OFFSET {k - 1}")
    return float(_rows(con, sql, source.name)[0][0])


def value_at_rank(source: Source, r: int) -> float:
    """The exact value at rank ``r`` (a question the evaluation did not ask in advance)."""
    con = connect(source.temp_dir)
    rows = sorted(_binned(con, source, ()), key=lambda row: float(row[0]))
    return _at_ranks(con, source, _bins(rows), [r])[r]
