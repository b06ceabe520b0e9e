"""Exact answers on large sample files with DuckDB: out of core, a memory limit, spilling.

Three passes over the files, none of which sorts them:

1. counts (rows, bad values), min, max, mean, the counts ``< t`` and ``<= t`` per threshold,
   and for each percentile a bracket ``[a, b]`` from ``approx_quantile`` (a hint only);
2. per percentile, the exact count ``< a`` and the values in ``[a, b]`` (a small list);
3. the nearest rank ``r`` is then the ``(r - count(< a))``-th smallest value of that list
   when it falls inside it; when the hint missed, the bracket widens, and at last DuckDB
   sorts (``ORDER BY … OFFSET r-1``, spilling to disk). The hint never decides an answer.

DuckDB's ``quantile_disc`` agreed with the nearest rank in our tests, but it holds every
value in memory and its rank rule is not documented as ``ceil(q·n)``; it is not used.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from p0gate.errors import EvidenceError
from p0gate.evidence.dataset import SampleAnswers
from p0gate.evidence.histogram import rank

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

MEMORY_LIMIT = "512MB"
WIDENINGS = (1, 8, 64)


def connect(temp_dir: Path | None = None, memory_limit: str = MEMORY_LIMIT) -> Any:
    """An in-memory DuckDB that spills to ``temp_dir`` under a memory limit."""
    import duckdb

    config: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": memory_limit, "preserve_insertion_order": False}
    if temp_dir is not None:
        config["temp_directory"] = str(temp_dir)
    return duckdb.connect(":memory:", config=config)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def source(paths: Sequence[Path], column: str, fmt: str) -> str:
    """``SELECT CAST(column AS DOUBLE) AS v`` over exactly these files."""
    files = "[" + ", ".join(_quote(str(p)) for p in paths) + "]"
    reader = (f"read_parquet({files}, hive_partitioning = false)" if fmt == "parquet"
              else f"read_csv({files}, header = true, auto_detect = true)")
    ident = '"' + column.replace('"', '""') + '"'
    return f"(SELECT CAST({ident} AS DOUBLE) AS v FROM {reader})"


def _run(con: Any, sql: str, name: str) -> tuple[Any, ...]:
    import duckdb

    try:
        row = con.execute(sql).fetchone()
    except duckdb.Error as exc:
        raise EvidenceError(f"{name}: {type(exc).__name__}: {str(exc).splitlines()[0]}") \
            from None
    assert row is not None  # an aggregate always returns one row
    return tuple(row)


def _quantile(stat: str) -> float:
    if stat in {"min", "max"}:
        return 0.0 if stat == "min" else 1.0
    return float(Decimal(stat[1:]) / 100)


def _first_pass(con: Any, src: str, thresholds: Sequence[float], stats: Sequence[str],
                name: str) -> tuple[Any, ...]:
    cols = ["count(*)", "count(*) FILTER (WHERE v IS NULL OR isnan(v) OR isinf(v) OR v < 0)",
            "min(v)", "max(v)", "avg(v)"]
    cols += [f"count(*) FILTER (WHERE v {op} {t!r})" for t in thresholds for op in ("<", "<=")]
    for stat in stats:
        q = _quantile(stat)
        spread = max(0.0005, 0.01 * q * (1 - q))
        cols.append(f"approx_quantile(v, [{max(0.0, q - spread)!r}, {min(1.0, q + spread)!r}])")
    return _run(con, f"SELECT {', '.join(cols)} FROM {src}", name)


def answer(paths: Sequence[Path], column: str, *, fmt: str, name: str,
           thresholds: Sequence[float], stats: Sequence[str],
           temp_dir: Path | None = None) -> SampleAnswers:
    """The exact answers (see the module docstring), on at most one pass per step."""
    con = connect(temp_dir)
    src = source(paths, column, fmt)
    row = _first_pass(con, src, thresholds, stats, name)
    n, bad, low, high, mean = row[:5]
    if bad:
        raise EvidenceError(f"{name}: column {column!r} has {bad} empty, NaN, infinite or "
                            "negative values")
    counts = row[5:5 + 2 * len(thresholds)]
    below = {t: int(counts[2 * i]) for i, t in enumerate(thresholds)}
    at_most = {t: int(counts[2 * i + 1]) for i, t in enumerate(thresholds)}
    if n == 0:
        return SampleAnswers(0, below, at_most, {}, None)
    brackets = [tuple(b) for b in row[5 + 2 * len(thresholds):]]
    ranks = _ranks(con, src, n, list(stats), brackets, (low, high), name)
    return SampleAnswers(int(n), below, at_most, ranks, float(mean))


def _ranks(con: Any, src: str, n: int, stats: list[str], brackets: list[tuple[Any, ...]],
           extremes: tuple[float, float], name: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for stat in stats:
        if stat in {"min", "max"}:
            found[stat] = float(extremes[0] if stat == "min" else extremes[1])
    todo = {s: (float(b[0]), float(b[1])) for s, b in zip(stats, brackets, strict=True)
            if s not in found}
    for widen in WIDENINGS:
        if not todo:
            break
        todo = {s: _wider(b, extremes, widen) for s, b in todo.items()}
        for stat, value in _bracket_pass(con, src, n, todo, name).items():
            found[stat] = value
            del todo[stat]
    for stat in todo:  # the hint missed even widened: let DuckDB sort
        found[stat] = float(_run(con, f"SELECT v FROM {src} ORDER BY v "
                                 f"LIMIT 1 OFFSET {rank(stat, n) - 1}", name)[0])
    return found


def _wider(bracket: tuple[float, float], extremes: tuple[float, float],
           factor: int) -> tuple[float, float]:
    a, b = bracket
    if factor == 1:
        return a, b
    half = (b - a) * factor / 2 or 1.0
    return max(extremes[0], a - half), min(extremes[1], b + half)


def _bracket_pass(con: Any, src: str, n: int, todo: dict[str, tuple[float, float]],
                  name: str) -> dict[str, float]:
    """One pass: per bracket the count below it and its values; the ranks inside them."""
    import numpy as np

    cols = []
    for a, b in todo.values():
        cols += [f"count(*) FILTER (WHERE v < {a!r})",
                 f"list(v) FILTER (WHERE v >= {a!r} AND v <= {b!r})"]
    row = _run(con, f"SELECT {', '.join(cols)} FROM {src}", name)
    done = {}
    for i, stat in enumerate(todo):
        before, inside = int(row[2 * i]), row[2 * i + 1] or []
        k = rank(stat, n) - before
        if 1 <= k <= len(inside):
            values = np.asarray(inside, dtype=np.float64)
            done[stat] = float(np.partition(values, k - 1)[k - 1])
    return done


def load_column(paths: Sequence[Path], column: str, *, fmt: str,
                name: str) -> npt.NDArray[np.float64]:
    """The column of small files as one float64 array, checked like the DuckDB path."""
    import duckdb
    import numpy as np

    try:
        fetched = connect().execute(f"SELECT v FROM {source(paths, column, fmt)}").fetchnumpy()
    except duckdb.Error as exc:
        raise EvidenceError(f"{name}: {type(exc).__name__}: {str(exc).splitlines()[0]}") \
            from None
    raw = fetched["v"]
    values = np.ascontiguousarray(np.ma.getdata(raw), dtype=np.float64)
    bad = int(np.ma.getmaskarray(raw).sum()) if np.ma.isMaskedArray(raw) else 0
    bad += int(np.count_nonzero(~np.isfinite(values) | (values < 0))) if not bad else 0
    if bad:
        raise EvidenceError(f"{name}: column {column!r} has empty, NaN, infinite or "
                            "negative values")
    return values
