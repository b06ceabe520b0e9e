"""latency-samples: CSV, JSON Lines or Parquet, one numeric column per metric.

Read with pyarrow into numpy arrays: no per-sample Python loops. A column is converted on
first use and checked: no empty cells, no NaN or infinities, no negative latencies. Values
are in the artifact's ``unit`` (default ms). A check may keep only the rows where other
columns hold given values (``where``: text or whole numbers, compared folded as ``count``'s
``where`` compares them); a filter column that does not exist is an error.

The kind's reader (``dataset.LatencyReader``) reads a file into ``LatencySamples``; a Parquet
dataset (a sealed folder) or a file too large to hold arrives as verified files instead of
bytes and becomes a ``LatencyDataset`` (``dataset``), answered out of core.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from p0gate.errors import EvidenceError
from p0gate.evidence.reader import fail

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pyarrow as pa

    from p0gate.evidence.bundle import Blob
    from p0gate.evidence.samples import SampleValues

    Samples = npt.NDArray[np.float64]

Where = tuple[tuple[str, tuple[str, ...]], ...]  # (column, values folded), every one must match


def filter_column(names: list[str], wanted: str, where: str) -> str:
    """The column ``where`` names: by its name, else by its folded name when one matches."""
    from p0gate.textmatch import fold

    if wanted in names:
        return wanted
    folded = [n for n in names if fold(n) == fold(wanted)]
    if len(folded) != 1:
        raise EvidenceError(f"{where}: no column {wanted!r} to filter on (columns: {names})",
                            hint="fix `where` in the check, or the evidence")
    return folded[0]


def empty_filter_cells(where: str, column: str) -> EvidenceError:
    """A row whose filter column is empty may or may not be one the filter asks for."""
    return EvidenceError(f"{where}: column {column!r} has empty cells: whether those samples "
                         "match `where` is unknown", hint="fill the column, or drop those "
                         "rows from the evidence")


def matching(values: list[str | None], wanted: tuple[str, ...], where: str,
             column: str) -> list[str]:
    """The distinct raw values that equal one of ``wanted`` once folded. An empty cell
    (null, or only spaces) is neither a match nor a non-match: an error."""
    from p0gate.textmatch import fold

    folded = {v: fold(v) for v in values if v is not None}
    if None in values or "" in folded.values():
        raise empty_filter_cells(where, column)
    return sorted(v for v, f in folded.items() if f in wanted)


@dataclass
class LatencySamples:
    blob: Blob
    table: pa.Table
    _columns: dict[str, Samples] = field(default_factory=dict)
    _found: dict[tuple[str | None, Where], SampleValues] = field(default_factory=dict)

    def distribution(self, column: str | None, where: Where = ()) -> SampleValues:
        """The samples of ``column`` in the rows where ``where`` holds, as a distribution."""
        from p0gate.evidence.histograms.source import column_unit
        from p0gate.evidence.samples import SampleValues

        key = (column, where)
        if key not in self._found:
            rows = self._rows(where) if where else None
            name = self.resolved(column)
            label = f"artifact {self.blob.artifact.id!r} ({self.blob.artifact.path})"
            unit = column_unit(name, self.blob.artifact.unit, label)
            values = self.column(name)
            if rows is not None:
                values = values[rows]  # a copy: reordering it is free
            self._found[key] = SampleValues(values, unit)
        return self._found[key]

    def _rows(self, where: Where) -> npt.NDArray[np.bool_]:
        """The mask of the rows where every ``where`` column holds one of its values."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        mask = np.ones(self.table.num_rows, dtype=bool)
        label = f"artifact {self.blob.artifact.id!r} ({self.blob.artifact.path})"
        for wanted_column, wanted in where:
            name = filter_column(self.names, wanted_column, label)
            col = self.table.column(name)
            if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)
                    or pa.types.is_integer(col.type) or pa.types.is_boolean(col.type)
                    or pa.types.is_dictionary(col.type)):
                raise fail(self.blob, f"`where` compares text or whole numbers; column "
                           f"{name!r} is {col.type}")
            text = pc.cast(col, pa.string())
            hits = matching(pc.unique(text).to_pylist(), wanted, label, name)
            mask &= pc.is_in(text, value_set=pa.array(hits, pa.string())).to_numpy(
                zero_copy_only=False)
        return mask

    @property
    def names(self) -> list[str]:
        return list(self.table.column_names)

    def numeric_names(self) -> list[str]:
        import pyarrow as pa

        return [f.name for f in self.table.schema
                if pa.types.is_integer(f.type) or pa.types.is_floating(f.type)]

    def resolved(self, name: str | None) -> str:
        """``name``, or the only numeric column when None."""
        if name is not None:
            return name
        numeric = self.numeric_names() or (self.names if self.table.num_rows == 0 else [])
        if len(numeric) != 1:
            raise fail(self.blob, f"has numeric columns {numeric}: name one with `column`")
        return numeric[0]

    def column(self, name: str | None) -> Samples:
        """The samples of ``name`` (or of the only numeric column), validated."""
        name = self.resolved(name)
        if name not in self._columns:
            self._columns[name] = self._convert(name)
        return self._columns[name]

    def _convert(self, name: str) -> Samples:
        import numpy as np
        import pyarrow as pa

        if name not in self.table.column_names:
            raise fail(self.blob, f"has no column {name!r} (columns: {self.names})")
        col = self.table.column(name)
        if len(col) == 0:
            return np.empty(0, dtype=np.float64)
        if col.null_count:
            row = _first_null(col)
            raise fail(self.blob, f"column {name!r} has {col.null_count} empty, NA or NaN "
                       f"cells (first at data row {row})")
        if not (pa.types.is_integer(col.type) or pa.types.is_floating(col.type)):
            raise fail(self.blob, f"column {name!r} is not numeric ({col.type}); "
                       f"first value {_first(col)!r}")
        values = np.ascontiguousarray(col.to_numpy(), dtype=np.float64)
        if not values.flags.writeable:  # a zero-copy view of Arrow memory
            values = values.copy()
        if values.size and not _clean(values):
            self._reject(name, values)
        return values  # owned and writable: statistics reorder it in place (order-free)

    def _reject(self, name: str, values: Samples) -> None:
        import numpy as np

        bad = ~np.isfinite(values)
        if bad.any():
            row = int(np.argmax(bad))
            raise fail(self.blob, f"column {name!r} row {row + 1}: {values[row]} is not a "
                       "finite number")
        row = int(np.argmax(values < 0))
        raise fail(self.blob, f"column {name!r} row {row + 1}: negative latency "
                   f"{values[row]}")


def _clean(values: Samples) -> bool:
    """Finite and non-negative, by two reductions (NaN propagates through min)."""
    import math

    low, high = float(values.min()), float(values.max())
    return math.isfinite(low) and math.isfinite(high) and low >= 0


def _first_null(col: pa.ChunkedArray) -> int:
    import pyarrow.compute as pc

    return int(pc.index(pc.is_null(col), True).as_py()) + 1


def _first(col: pa.ChunkedArray) -> object:
    return col[0].as_py() if len(col) else None


def read_csv(data: bytes) -> pa.Table:
    """A blank line in a one-column CSV is an empty cell (as DuckDB reads it); in a CSV
    of several columns it holds no row. The header is read first, so the file is parsed
    once, with the rule its number of columns asks for."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    columns = len(pcsv.open_csv(pa.BufferReader(data)).schema)
    options = pcsv.ParseOptions(ignore_empty_lines=columns != 1)
    return pcsv.read_csv(pa.BufferReader(data), parse_options=options)
