"""Exact answers on large sample files with DuckDB: out of core, under a memory limit.

Two passes over the files, neither of which sorts them:

1. one aggregate pass grouped by a *bin* of each value, ``floor(sqrt(sqrt(v)) · 1024)``:
   per bin the count, min and max (and, when the mean is asked for, the exact decimal sum);
   rows that are empty, NaN, infinite or negative fall in no bin and are an error. IEEE 754
   rounds ``sqrt`` and the multiplication correctly, so the bin never decreases as the value
   grows: each bin is a contiguous range of values (about 0.1% of a latency distribution's
   values at its median), and the cumulative counts name the bin holding each nearest rank
   ``r`` and the one bin that straddles each threshold;
2. one pass fetching the values of those bins (``v BETWEEN min AND max`` of a bin: exactly
   its values): the rank is the ``(r - before)``-th smallest of its bin (``np.partition``),
   a count at a threshold is the whole bins below it plus the straddling bin's share. A bin
   whose min equals its max needs no fetch (ties); a bin too large to fetch is left to DuckDB
   (a count, or ``ORDER BY v LIMIT 1 OFFSET k-1`` within the bin, spilling to disk).

DuckDB's ``quantile_disc`` agreed with the nearest rank in our tests, but it holds every value
in memory (16 GB for a billion) and its rank rule is not documented as ``ceil(q·n)``; it is
not used. A float ``sum`` depends on how DuckDB's threads split the rows; the decimal sum
does not, so results are byte-identical run after run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from p0gate.errors import EvidenceError
from p0gate.evidence.histograms.model import rank
from p0gate.evidence.samples import SampleAnswers

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

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
    """DuckDB's reader over exactly these files (partition folders are not columns; CSV
    is comma-separated with double quotes, as pyarrow reads it: no delimiter is sniffed)."""
    files = "[" + ", ".join(quote(str(p)) for p in paths) + "]"
    if fmt == "parquet":
        return f"read_parquet({files}, hive_partitioning = false)"
    return f"read_csv({files}, header = true, auto_detect = true, delim = ',', quote = '\"')"


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


def where_sql(paths: Sequence[Path], fmt: str, name: str, schema: dict[str, str],
              where: Where) -> str:
    """``where`` as SQL over the files of dataset ``name`` (of column types ``schema``): the
    column's distinct values, folded as ``where`` compares them, decide which raw values
    match (``FALSE`` when none do)."""
    from p0gate.evidence.latency import filter_column, matching

    parts = []
    for wanted_column, wanted in where:
        column = filter_column(list(schema), wanted_column, name)
        if schema[column].split("(")[0] not in _FILTERABLE:
            raise EvidenceError(f"{name}: `where` compares text or whole numbers; "
                                f"column {column!r} is {schema[column]}")
        text = f"CAST({ident(column)} AS VARCHAR)"
        distinct = _rows(connect(), f"SELECT DISTINCT {text} FROM "
                         f"{reader(paths, fmt)}", name)
        hits = matching([r[0] for r in distinct], wanted, name, column)
        parts.append(f"{text} IN ({', '.join(quote(h) for h in hits)})" if hits else "FALSE")
    return " AND ".join(parts)


def _bad_values(source: Source) -> EvidenceError:
    return EvidenceError(f"{source.name}: column {source.column!r} has empty, NaN, infinite "
                         "or negative values")


@dataclass(frozen=True)
class Bin:
    """Values ``low..high`` (all of them in the files), ``count`` of them, ``before`` smaller,
    and their exact sum when it was asked for."""

    low: float
    high: float
    count: int
    before: int
    total: Decimal | None = None


def _binned(con: Any, source: Source, with_sum: bool) -> list[Bin]:
    """Pass 1: count, min, max (and the exact sum) of each bin, in value order."""
    cols = "count(*), min(v), max(v)" + (f", sum(CAST(v AS {SUM_TYPE}))" if with_sum else "")
    rows = _rows(con, f"SELECT b, {cols} FROM (SELECT v, {BIN} AS b FROM {source.sql()}) "
                 "GROUP BY b", source.name)
    if any(r[0] is None for r in rows):
        raise _bad_values(source)
    bins, before = [], 0
    for row in sorted(rows, key=lambda r: float(r[0])):
        total = Decimal(row[4]) if with_sum else None
        bins.append(Bin(float(row[2]), float(row[3]), int(row[1]), before, total))
        before += int(row[1])
    return bins


def answer(source: Source, thresholds: Sequence[float], stats: Sequence[str]) -> SampleAnswers:
    """The exact answers (see the module docstring): counts ``<``/``<=`` each threshold, the
    value at each statistic's nearest rank, and the mean when ``stats`` holds ``mean``."""
    con = connect(source.temp_dir)
    bins = _binned(con, source, "mean" in stats)
    n = sum(b.count for b in bins)
    if n == 0:
        return SampleAnswers(0, dict.fromkeys(thresholds, 0), dict.fromkeys(thresholds, 0), {},
                             None)
    wanted = {s: rank(s, n) for s in stats if s not in {"mean", "count"}}
    cuts = [(t, inclusive) for t in thresholds for inclusive in (False, True)]
    needed = [_holding(bins, r) for r in wanted.values()]
    needed += [b for t, inclusive in cuts if (b := _straddling(bins, t, inclusive))]
    fetched = _fetched(con, source, needed)
    counts = {cut: _count(con, source, bins, cut, fetched) for cut in cuts}
    values = {r: _value(con, source, _holding(bins, r), r, fetched)
              for r in set(wanted.values())}
    return SampleAnswers(n, {t: counts[(t, False)] for t in thresholds},
                         {t: counts[(t, True)] for t in thresholds},
                         {s: values[r] for s, r in wanted.items()}, _mean(bins, n))


def _mean(bins: list[Bin], n: int) -> float | None:
    if any(b.total is None for b in bins):
        return None
    with localcontext() as exact:
        exact.prec = 80
        return float(sum((b.total or Decimal(0) for b in bins), Decimal(0)) / n)


def _holding(bins: list[Bin], r: int) -> Bin:
    return next(b for b in bins if b.before < r <= b.before + b.count)


def _straddling(bins: list[Bin], t: float, inclusive: bool) -> Bin | None:
    """The one bin holding values on both sides of the cut ``< t`` (or ``<= t``), if any."""
    if inclusive:
        return next((b for b in bins if b.low <= t < b.high), None)
    return next((b for b in bins if b.low < t <= b.high), None)


def _fetched(con: Any, source: Source, needed: list[Bin]) -> dict[Bin, npt.NDArray[np.float64]]:
    """Pass 2: the values of the needed bins (ties need none), up to ``FETCH_MAX`` values."""
    chosen: list[Bin] = []
    budget = FETCH_MAX
    for b in needed:
        if b.low != b.high and b not in chosen and b.count <= budget:
            chosen.append(b)
            budget -= b.count
    if not chosen:
        return {}
    ranges = " OR ".join(f"(v >= {b.low!r} AND v <= {b.high!r})" for b in chosen)
    values = _fetch(con, f"SELECT v FROM {source.sql()} WHERE {ranges}", source.name)
    return {b: values[(values >= b.low) & (values <= b.high)] for b in chosen}


def _count(con: Any, source: Source, bins: list[Bin], cut: tuple[float, bool],
           fetched: dict[Bin, npt.NDArray[np.float64]]) -> int:
    """Values ``< t`` (``<= t``): whole bins below, and the straddling bin's share."""
    t, inclusive = cut
    whole = sum(b.count for b in bins if (b.high <= t if inclusive else b.high < t))
    part = _straddling(bins, t, inclusive)
    if part is None:
        return whole
    op = "<=" if inclusive else "<"
    if part in fetched:
        inside = fetched[part]
        return whole + int((inside <= t).sum() if inclusive else (inside < t).sum())
    sql = (f"SELECT count(*) FROM {source.sql()} WHERE v >= {part.low!r} AND "
           f"v <= {part.high!r} AND v {op} {t!r}")
    return whole + int(_rows(con, sql, source.name)[0][0])


def _value(con: Any, source: Source, b: Bin, r: int,
           fetched: dict[Bin, npt.NDArray[np.float64]]) -> float:
    """The value at rank ``r``: the bin's bound when they agree, else by selection in the
    fetched values, else by DuckDB sorting within a bin too large to fetch."""
    if b.low == b.high:
        return b.low
    k = r - b.before
    if b in fetched:
        inside = fetched[b]
        inside.partition(k - 1)  # a copy fetched for this answer: reordering it is free
        return float(inside[k - 1])
    sql = (f"SELECT v FROM {source.sql()} WHERE v >= {b.low!r} AND v <= {b.high!r} "
           f"ORDER BY v LIMIT 1 OFFSET {k - 1}")
    return float(_rows(con, sql, source.name)[0][0])


def value_at_rank(source: Source, r: int) -> float:
    """The exact value at rank ``r`` (a question the evaluation did not ask in advance)."""
    con = connect(source.temp_dir)
    bins = _binned(con, source, with_sum=False)
    b = _holding(bins, r)
    return _value(con, source, b, r, _fetched(con, source, [b]))
