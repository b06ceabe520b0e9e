"""Exact answers on large sample files with DuckDB: out of core, a memory limit, spilling.

Three passes over the files, none of which sorts them:

1. a small block sample (``USING SAMPLE … (system)``) gives, for each percentile, a
   bracket ``[a, b]`` that likely holds it (a hint only);
2. one aggregate pass: counts (rows, bad values), min, max, mean, the counts ``< t`` and
   ``<= t`` per threshold, and the exact count ``< a`` per bracket;
3. one pass fetching the values inside the brackets (a few per cent of the data at most);
   the nearest rank ``r`` is the ``(r - count(< a))``-th smallest of them when it falls
   inside; when the hint missed, the bracket widens, and at last DuckDB sorts
   (``ORDER BY … OFFSET r-1``, spilling to disk). The hint never decides an answer.

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


SAMPLE_ROWS = 200_000


def _quantile(stat: str) -> float:
    if stat in {"min", "max"}:
        return 0.0 if stat == "min" else 1.0
    return float(Decimal(stat[1:]) / 100)


def _hints(con: Any, src: str, rows: int, stats: Sequence[str],
           name: str) -> dict[str, tuple[float, float]]:
    """Brackets from a block sample: q ± 4 standard errors of a sample quantile."""
    import numpy as np

    percent = min(100.0, 100.0 * SAMPLE_ROWS / max(rows, 1))
    sample = _fetch(con, f"SELECT v FROM {src} USING SAMPLE {percent!r}% (system, 7)", name)
    sample = np.sort(sample[np.isfinite(sample)])
    hints = {}
    for stat in stats:
        q, m = _quantile(stat), sample.size
        if m == 0:
            hints[stat] = (0.0, 0.0)
            continue
        spread = 4 * (q * (1 - q) / m) ** 0.5 + 2 / m
        low, high = int(max(0.0, q - spread) * (m - 1)), int(min(1.0, q + spread) * (m - 1))
        hints[stat] = (float(sample[low]), float(sample[high]))
    return hints


def _fetch(con: Any, sql: str, name: str) -> npt.NDArray[np.float64]:
    import duckdb
    import numpy as np

    try:
        column = con.execute(sql).fetchnumpy()["v"]
    except duckdb.Error as exc:
        raise EvidenceError(f"{name}: {type(exc).__name__}: {str(exc).splitlines()[0]}") \
            from None
    return np.asarray(np.ma.getdata(column), dtype=np.float64)


def _first_pass(con: Any, src: str, thresholds: Sequence[float],
                hints: dict[str, tuple[float, float]], name: str) -> tuple[Any, ...]:
    cols = ["count(*)", "count(*) FILTER (WHERE v IS NULL OR isnan(v) OR isinf(v) OR v < 0)",
            "min(v)", "max(v)", "avg(v)"]
    cols += [f"count(*) FILTER (WHERE v {op} {t!r})" for t in thresholds for op in ("<", "<=")]
    cols += [f"count(*) FILTER (WHERE v < {a!r})" for a, _ in hints.values()]
    return _run(con, f"SELECT {', '.join(cols)} FROM {src}", name)


def answer(paths: Sequence[Path], column: str, *, fmt: str, name: str,
           thresholds: Sequence[float], stats: Sequence[str],
           temp_dir: Path | None = None) -> SampleAnswers:
    """The exact answers (see the module docstring)."""
    con = connect(temp_dir)
    src = source(paths, column, fmt)
    rows = int(_run(con, f"SELECT count(*) FROM {src}", name)[0])
    hints = _hints(con, src, rows, [s for s in stats if s not in {"min", "max"}], name)
    row = _first_pass(con, src, thresholds, hints, name)
    n, bad, low, high, mean = row[:5]
    if bad:
        raise EvidenceError(f"{name}: column {column!r} has {bad} empty, NaN, infinite or "
                            "negative values")
    counts = row[5:5 + 2 * len(thresholds)]
    below = {t: int(counts[2 * i]) for i, t in enumerate(thresholds)}
    at_most = {t: int(counts[2 * i + 1]) for i, t in enumerate(thresholds)}
    if n == 0:
        return SampleAnswers(0, below, at_most, {}, None)
    under = dict(zip(hints, row[5 + 2 * len(thresholds):], strict=True))
    found = {s: float(low if s == "min" else high) for s in stats if s in {"min", "max"}}
    found |= _ranks(con, src, int(n), hints, under, (low, high), name)
    return SampleAnswers(int(n), below, at_most, found, float(mean))


def _ranks(con: Any, src: str, n: int, hints: dict[str, tuple[float, float]],
           under: dict[str, int], extremes: tuple[float, float], name: str) -> dict[str, float]:
    found: dict[str, float] = {}
    todo = dict(hints)
    for widen in WIDENINGS:
        if not todo:
            break
        todo = {s: _wider(b, extremes, widen) for s, b in todo.items()}
        known = under if widen == 1 else None
        for stat, value in _bracket_pass(con, src, n, todo, known, name).items():
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
                  under: dict[str, int] | None, name: str) -> dict[str, float]:
    """The values inside the brackets (one pass), and the ranks that fall inside them."""
    import numpy as np

    if under is None:
        cols = ", ".join(f"count(*) FILTER (WHERE v < {a!r})" for a, _ in todo.values())
        under = dict(zip(todo, _run(con, f"SELECT {cols} FROM {src}", name), strict=True))
    done = {}
    for stat, (a, b) in todo.items():
        inside = _fetch(con, f"SELECT v FROM {src} WHERE v >= {a!r} AND v <= {b!r}", name)
        k = rank(stat, n) - int(under[stat])
        if 1 <= k <= inside.size:
            done[stat] = float(np.partition(inside, k - 1)[k - 1])
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
