"""incidents: JSON Lines or CSV records with at least ``severity``, ``category``, ``opened_at``."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from p0gate.evidence.reader import fail, suffix, text

if TYPE_CHECKING:
    from p0gate.evidence.bundle import Blob

REQUIRED = ("severity", "category", "opened_at")


@dataclass(frozen=True)
class Incident:
    fields: dict[str, str]
    opened_at: datetime


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
            rows = list(csv.DictReader(io.StringIO(body)))
            raw = [(i + 2, row) for i, row in enumerate(rows)]
        elif ext in {".jsonl", ".ndjson"}:
            raw = _json_lines(blob, body)
        else:
            raise fail(blob, "incidents must be .csv or .jsonl")
        return Incidents(tuple(_record(blob, line, row) for line, row in raw))


def _json_lines(blob: Blob, body: str) -> list[tuple[int, dict[str, object]]]:
    out: list[tuple[int, dict[str, object]]] = []
    for number, line in enumerate(body.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise fail(blob, f"line {number}: not JSON: {exc.msg}") from None
        if not isinstance(row, dict):
            raise fail(blob, f"line {number}: a record must be a JSON object")
        out.append((number, row))
    return out


def _record(blob: Blob, line: int, row: dict[str, object]) -> Incident:
    missing = [name for name in REQUIRED if row.get(name) in (None, "")]
    if missing:
        raise fail(blob, f"line {line}: missing {', '.join(missing)}")
    fields = {str(k): _str(v) for k, v in row.items() if k is not None}
    try:
        opened = datetime.fromisoformat(fields["opened_at"].replace("Z", "+00:00"))
    except ValueError:
        raise fail(blob, f"line {line}: opened_at {fields['opened_at']!r} is not ISO 8601") \
            from None
    if opened.tzinfo is None:
        raise fail(blob, f"line {line}: opened_at has no timezone", hint="append Z or +00:00")
    return Incident(fields, opened)


def _str(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
