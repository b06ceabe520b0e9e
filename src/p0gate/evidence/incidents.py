"""incidents: JSON Lines or CSV records with at least ``severity``, ``category``, ``opened_at``.

Field names are compared folded (``textmatch.fold``: NFKC, invisible characters removed,
spaces trimmed, case folded), so `` Category`` is ``category``; two fields that fold to the
same name in one record (a repeated CSV column, ``"category"`` beside ``"Category"``, a
repeated JSON key) make the artifact invalid: which one holds would be a guess. Values keep
their text (checks fold them when they compare). A list or object where a required field's
string belongs is invalid; in other fields it is kept as ``structured`` so a check that
filters on that field can refuse it. A CSV row with more or fewer cells than the header is
invalid.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from p0gate.evidence.reader import fail, loads, suffix, text
from p0gate.textmatch import fold

if TYPE_CHECKING:
    from p0gate.evidence.bundle import Blob
    from p0gate.yamlio import Json

REQUIRED = ("severity", "category", "opened_at")


@dataclass(frozen=True)
class Incident:
    fields: dict[str, str]  # folded field name -> value as written
    opened_at: datetime
    structured: frozenset[str] = field(default_factory=frozenset)  # list/object values
    line: int = field(default=0, compare=False)  # where it is in its file (not what it says)


@dataclass(frozen=True)
class Incidents:
    records: tuple[Incident, ...]


class IncidentsReader:
    kind: ClassVar[str] = "incidents"
    formats: ClassVar[str] = "JSON Lines or CSV with severity, category, opened_at"

    def read(self, blob: Blob) -> Incidents:
        body = text(blob)
        ext = suffix(blob)
        if ext == ".csv":
            raw = _csv(blob, body)
        elif ext in {".jsonl", ".ndjson"}:
            raw = _json_lines(blob, body)
        else:
            raise fail(blob, "incidents must be .csv or .jsonl")
        return Incidents(tuple(_record(blob, line, row) for line, row in raw))


Row = list[tuple[str, "Json"]]


def _csv(blob: Blob, body: str) -> list[tuple[int, Row]]:
    reader = csv.reader(io.StringIO(body, newline=""))
    header = next(reader, None)
    if header is None:
        return []
    out: list[tuple[int, Row]] = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise fail(blob, f"line {reader.line_num}: {len(row)} cells under a header of "
                       f"{len(header)} columns", hint="quote cells that hold commas")
        out.append((reader.line_num, list(zip(header, row, strict=True))))
    return out


def _json_lines(blob: Blob, body: str) -> list[tuple[int, Row]]:
    out: list[tuple[int, Row]] = []
    for number, line in enumerate(body.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = loads(line)
        except (ValueError, RecursionError) as exc:
            raise fail(blob, f"line {number}: not valid JSON: {exc}") from None
        if not isinstance(row, dict):
            raise fail(blob, f"line {number}: a record must be a JSON object")
        out.append((number, list(row.items())))
    return out


def _record(blob: Blob, line: int, row: Row) -> Incident:
    fields: dict[str, str] = {}
    structured: set[str] = set()
    for name, value in row:
        key = fold(name)
        if key in fields:
            raise fail(blob, f"line {line}: the field {key!r} is given twice (as "
                       f"{name!r} too)", hint="keep one column or key per field")
        if isinstance(value, list | dict):
            if key in REQUIRED:
                raise fail(blob, f"line {line}: {key} must be one value, not a "
                           f"{'list' if isinstance(value, list) else 'object'}")
            structured.add(key)
        fields[key] = _str(value)
    missing = [name for name in REQUIRED if not fold(fields.get(name, ""))]
    if missing:
        raise fail(blob, f"line {line}: missing {', '.join(missing)}")
    return Incident(fields, _opened(blob, line, fields["opened_at"]), frozenset(structured),
                    line)


def _opened(blob: Blob, line: int, raw: str) -> datetime:
    try:
        opened = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise fail(blob, f"line {line}: opened_at {raw[:60]!r} is not ISO 8601") from None
    if opened.tzinfo is None:
        raise fail(blob, f"line {line}: opened_at has no timezone", hint="append Z or +00:00")
    return opened


def _str(value: Json) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return ""
    return "" if value is None else str(value)
