"""latency-samples larger than memory: a sealed folder of Parquet (or CSV) files, or one
large file, answered exactly without holding the samples.

The files were verified by the bundle (``folders``) before this module sees them, and are
checked again after every query. The answers are what the checks need, exactly: per
threshold the number of samples ``< t`` and ``<= t``, per statistic the exact nearest-rank
value (rank ``ceil(q/100 · n)`` in decimal), and the mean. The evaluation asks for all of
them at once (``Ask``: what the pack's controls on the artifact need), so a billion samples
are read a few times, not once per control; a question not asked in advance costs one more
query, never a guess. Small inputs (up to ``NUMPY_MAX_BYTES`` of files) are loaded into
numpy instead, where every question is exact anyway; both give the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, TypeVar

from p0gate.errors import EvidenceError
from p0gate.evidence.histograms.model import Count, Cut, ValueRange, rank
from p0gate.evidence.latency import LatencySamples, Where, filter_column, read_csv
from p0gate.evidence.reader import fail, suffix
from p0gate.evidence.samples import SampleAnswers, as_ms, in_unit

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np
    import numpy.typing as npt

    from p0gate.evidence.bundle import Blob
    from p0gate.evidence.folders import VerifiedFiles
    from p0gate.evidence.histograms.model import Distribution
    from p0gate.evidence.samples import SampleValues

NUMPY_MAX_BYTES = 256 * 1024**2
T = TypeVar("T")


@dataclass(frozen=True)
class Ask:
    """What the pack's controls need from one artifact: thresholds in ms and statistics
    (``min``, ``max``, ``pNN``, and ``mean`` when a control needs the mean)."""

    thresholds: tuple[Decimal, ...] = ()
    stats: tuple[str, ...] = ()

    def __or__(self, other: Ask) -> Ask:
        return Ask(tuple(sorted({*self.thresholds, *other.thresholds})),
                   tuple(sorted({*self.stats, *other.stats})))


def answer_numpy(values: npt.NDArray[np.float64], thresholds: Sequence[float],
                 stats: Sequence[str]) -> SampleAnswers:
    """The exact answers on samples in memory (by selection, no full sort)."""
    import numpy as np

    n = int(values.size)
    below = {t: int(np.count_nonzero(values < t)) for t in thresholds}
    at_most = {t: int(np.count_nonzero(values <= t)) for t in thresholds}
    ranks: dict[str, float] = {}
    ranked = [s for s in stats if s not in {"mean", "count"}]
    if n and ranked:
        wanted = {s: rank(s, n) - 1 for s in ranked}
        work = np.partition(values, sorted(set(wanted.values())))
        ranks = {s: float(work[i]) for s, i in wanted.items()}
    mean = float(values.mean(dtype=np.float64)) if n else None
    return SampleAnswers(n, below, at_most, ranks, mean)


Query = Callable[[Sequence[float], Sequence[str]], SampleAnswers]


class EngineAnswers:
    """A distribution answered by a query engine: exact, one query per batch of questions."""

    def __init__(self, query: Query, by_rank: Callable[[int], float], unit: str,
                 ask: Ask) -> None:
        self._query, self._by_rank, self.unit = query, by_rank, unit
        first = query([in_unit(t, unit) for t in ask.thresholds], ask.stats)
        self.total, self._mean = first.n, first.mean
        self._below, self._at_most = dict(first.below), dict(first.at_most)
        self._ranks = {rank(s, first.n): v for s, v in first.ranks.items()} if first.n else {}

    def count_below(self, at: Decimal, *, inclusive: bool) -> Count:
        t = in_unit(at, self.unit)
        if t not in self._below:
            more = self._query([t], [])
            self._below.update(more.below)
            self._at_most.update(more.at_most)
        count = (self._at_most if inclusive else self._below)[t]
        return Count(count, count)

    def at_rank(self, r: int) -> ValueRange:
        if r not in self._ranks:
            self._ranks[r] = self._by_rank(r)
        value = as_ms(self._ranks[r], self.unit)
        return ValueRange(value, value)

    def mean(self) -> ValueRange:
        if self.total == 0:
            raise EvidenceError("no samples: the mean is undefined")
        if self._mean is None:  # not asked in advance
            self._mean = self._query([], ["mean"]).mean
        assert self._mean is not None
        value = as_ms(self._mean, self.unit)
        return ValueRange(value, value)

    def advice(self, cut: Cut) -> str:  # pragma: no cover - every count is exact
        return ""


@dataclass
class LatencyDataset:
    """Verified sample files that are not held in memory; a distribution per column and
    filter, computed on first use (numpy when small, else DuckDB out of core)."""

    blob: Blob
    files: VerifiedFiles
    fmt: str
    engine: str | None = None  # "numpy" or "duckdb" to force one (tests compare them)
    _found: dict[tuple[str | None, Where], Distribution] = field(default_factory=dict)
    _schema: dict[str, str] | None = None
    _columns: list[str] | None = None

    @property
    def name(self) -> str:
        return f"artifact {self.blob.artifact.id!r} ({self.blob.artifact.path})"

    @property
    def unit(self) -> str:
        return self.blob.artifact.unit or "ms"

    def unit_of(self, column: str) -> str:
        """The unit of ``column``: the artifact's, agreeing with what its name says."""
        from p0gate.evidence.histograms.source import column_unit

        return column_unit(column, self.blob.artifact.unit, self.name)

    def schema(self) -> dict[str, str]:
        from p0gate.evidence import dataset_duckdb as ddb

        if self._schema is None:
            self.columns()
            self._schema = ddb.describe(self.files.paths, self.fmt, self.name)
        return self._schema

    def columns(self) -> list[str]:
        """The columns every file holds, each once: a dataset is one table. A file with
        other columns (one missing, renamed or added) or a name given twice is refused, so
        no engine fills a missing column with empty cells or picks one of two."""
        if self._columns is None:
            first: list[str] | None = None
            for path in self.files.paths:
                names = file_columns(path, self.fmt, self.name)
                if len(set(names)) != len(names):
                    twice = sorted({n for n in names if names.count(n) > 1})
                    raise EvidenceError(f"{self.name}: {path.name} has the column(s) {twice} "
                                        "twice: which one is meant is a guess")
                if first is not None and set(names) != set(first):
                    raise EvidenceError(
                        f"{self.name}: {path.name} has the columns {names}, another file "
                        f"{first}: every file of a dataset has the same columns",
                        hint="export the files with one schema and re-seal")
                first = first or names
            self._columns = first or []
        return self._columns

    def distribution(self, column: str | None, where: Where = (),
                     ask: Ask = Ask()) -> Distribution:
        """The samples of ``column`` (default: the only numeric one) where ``where`` holds."""
        key = (column, where)
        if key not in self._found:
            self._found[key] = self._compute(column, where, ask)
        return self._found[key]

    def _compute(self, column: str | None, where: Where, ask: Ask) -> Distribution:
        from p0gate.evidence import dataset_duckdb as ddb

        self.columns()
        small = self.files.size <= NUMPY_MAX_BYTES
        if (self.engine or ("numpy" if small else "duckdb")) == "numpy":
            return self._checked(lambda: self._in_memory(column, where))
        name = self._column(column)
        rows = ddb.where_sql(self.files.paths, self.fmt, self.name, self.schema(), where)
        source = ddb.Source(self.files.paths, self.fmt, name, rows, self.name)
        return EngineAnswers(
            lambda ts, ss: self._checked(lambda: ddb.answer(source, ts, ss)),
            lambda r: self._checked(lambda: ddb.value_at_rank(source, r)), self.unit_of(name),
            ask)

    def _in_memory(self, column: str | None, where: Where) -> SampleValues:
        """The columns needed, read by pyarrow into memory, as latency samples are."""
        import pyarrow as pa
        import pyarrow.dataset as pds

        try:
            found = pds.dataset(list(map(str, self.files.paths)),
                                format=file_format(self.fmt, len(self.columns())))
            names = found.schema.names
            wanted = names if column is None else [column]
            wanted += [filter_column(names, name, self.name) for name, _ in where]
            table = found.to_table(columns=list(dict.fromkeys(c for c in wanted
                                                               if c in names)))
        except (pa.ArrowException, ValueError, OSError) as exc:
            raise EvidenceError(f"{self.name}: cannot read the {self.fmt} files: {exc}") \
                from None
        return LatencySamples(self.blob, table).distribution(column, where)

    def _checked(self, run: Callable[[], T]) -> T:
        found = run()
        self.files.still_unchanged(self.name)
        return found

    def _column(self, column: str | None) -> str:
        from p0gate.evidence import dataset_duckdb as ddb

        schema = self.schema()
        if column is None:
            numeric = [n for n, t in schema.items() if ddb.is_numeric(t)]
            if len(numeric) != 1:
                raise EvidenceError(f"{self.name} has numeric columns {numeric}: name one "
                                    "with `column`")
            return numeric[0]
        if column not in schema:
            raise EvidenceError(f"{self.name} has no column {column!r} (columns: "
                                f"{list(schema)})")
        return column


def file_columns(path: Path, fmt: str, name: str) -> list[str]:
    """The column names one file declares (a Parquet footer, a CSV header)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    try:
        if fmt == "parquet":
            return list(pq.read_schema(path).names)
        with pcsv.open_csv(path) as stream:
            return list(stream.schema.names)
    except (pa.ArrowException, ValueError, OSError) as exc:
        raise EvidenceError(f"{name}: cannot read {path.name}: {exc}") from None


def file_format(fmt: str, columns: int) -> object:
    """pyarrow's reader of the files: a blank line in a one-column CSV is an empty cell
    (as DuckDB reads it), in a CSV of several columns it holds no row."""
    if fmt != "csv":
        return fmt
    import pyarrow.csv as pcsv
    import pyarrow.dataset as pds

    return pds.CsvFileFormat(parse_options=pcsv.ParseOptions(
        ignore_empty_lines=columns > 1))


class LatencyReader:
    kind: ClassVar[str] = "latency-samples"
    formats: ClassVar[str] = "CSV, JSON Lines (.jsonl), Parquet"

    def read(self, blob: Blob) -> LatencySamples | LatencyDataset:
        if blob.files is not None:
            return _dataset(blob)
        import pyarrow as pa

        ext = suffix(blob)
        source = pa.BufferReader(blob.data)
        try:
            if ext == ".csv":
                table = read_csv(blob.data)
            elif ext in {".jsonl", ".ndjson"}:
                import pyarrow.json as pjson

                table = pjson.read_json(source)
            elif ext == ".parquet":
                import pyarrow.parquet as pq

                table = pq.read_table(source)
            else:
                raise fail(blob, "latency samples must be .csv, .jsonl or .parquet")
            names = table.column_names  # decodes the names: invalid UTF-8 fails here
        except (pa.ArrowException, ValueError, OSError) as exc:
            raise fail(blob, f"cannot parse {ext or 'file'}: {exc}") from None
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise fail(blob, f"has the column(s) {twice} twice: which one is meant is a guess")
        return LatencySamples(blob, table)


def _dataset(blob: Blob) -> LatencyDataset:
    """Verified files not held in memory: all Parquet, or all CSV."""
    assert blob.files is not None
    kinds = {p.suffix.lower() for p in blob.files.paths}
    if kinds not in ({".parquet"}, {".csv"}):
        others = sorted(p.name for p in blob.files.paths if p.suffix.lower() not in
                        {".parquet", ".csv"})
        raise fail(blob, "a latency dataset holds only .parquet files or only .csv files "
                   f"(found {others[:3] or sorted(kinds)})",
                   hint="remove other files (e.g. _SUCCESS markers) and re-seal")
    return LatencyDataset(blob, blob.files, kinds.pop().lstrip("."))
