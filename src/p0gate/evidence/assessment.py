"""assessment-scores: the app's PHQ-9 / GAD-7 scoring, as CSV or a FHIR Bundle.

CSV columns: ``response_id``, ``instrument`` (phq9 or gad7), ``item1``…``item9``
(``item1``…``item7`` for GAD-7), ``total``, ``band``, ``crisis_flag`` (true/false, PHQ-9
only); an empty cell is a missing answer (or a value the app did not give). Answers outside
0-3 are kept, so the check can report the response as invalid; a cell that is not an integer
is an error naming the line. A ``.json`` file is a FHIR Bundle of QuestionnaireResponses.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, ClassVar

from p0gate.clinical.instruments import INSTRUMENTS, Instrument
from p0gate.clinical.responses import AssessmentScores, Response
from p0gate.evidence.reader import fail, json_document, suffix, text

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from p0gate.evidence.bundle import Blob

REQUIRED = ("response_id", "instrument", "total")
FLAGS = {"true": True, "false": False, "": None}


class AssessmentReader:
    kind: ClassVar[str] = "assessment-scores"
    formats: ClassVar[str] = "CSV (items, total, band, crisis_flag) or FHIR Bundle JSON"

    def read(self, blob: Blob) -> AssessmentScores:
        ext = suffix(blob)
        if ext == ".csv":
            responses = _csv(blob)
        elif ext == ".json":
            responses = _fhir(blob)
        else:
            raise fail(blob, "assessment scores must be .csv or a FHIR Bundle .json")
        if not responses:
            raise fail(blob, "no responses")
        return AssessmentScores(tuple(responses))


def _fhir(blob: Blob) -> list[Response]:
    from p0gate.clinical.fhir import FhirError, parse_bundle

    doc = json_document(blob)
    if not isinstance(doc, dict):
        raise fail(blob, "not a FHIR Bundle (expected a JSON object)")
    try:
        return parse_bundle(doc)
    except FhirError as exc:
        raise fail(blob, str(exc)) from None


def _csv(blob: Blob) -> list[Response]:
    reader = csv.DictReader(io.StringIO(text(blob)))
    try:
        _columns(blob, reader.fieldnames or [])
        return [_row(blob, reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise fail(blob, f"line {max(1, reader.line_num)}: malformed CSV: {exc}") from None


def _columns(blob: Blob, columns: Sequence[str]) -> None:
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise fail(
            blob,
            f"missing CSV columns: {', '.join(missing)}",
            hint="columns: response_id, instrument, item1…item9, total, band, "
            "crisis_flag (see `p0gate vectors phq9`)",
        )


def _row(blob: Blob, line: int, row: dict[str, str | None]) -> Response:
    def cell(name: str) -> str:
        value = row.get(name)
        return value.strip() if isinstance(value, str) else ""

    instrument = INSTRUMENTS.get(cell("instrument").lower())
    if instrument is None:
        raise fail(blob, f"line {line}: instrument {cell('instrument')!r} is not phq9 or gad7")
    if not cell("response_id"):
        raise fail(blob, f"line {line}: empty response_id")
    _no_extra_items(blob, line, instrument, cell)
    answers = tuple(
        _int(blob, line, f"item{i}", cell(f"item{i}")) for i in range(1, instrument.items + 1)
    )
    return Response(
        cell("response_id"),
        instrument.name,
        answers,
        _int(blob, line, "total", cell("total")),
        _band(blob, line, instrument, cell("band")),
        _flag(blob, line, cell("crisis_flag")),
        f"line {line}",
    )


def _no_extra_items(
    blob: Blob, line: int, instrument: Instrument, cell: Callable[[str], str]
) -> None:
    for i in range(instrument.items + 1, 10):
        if cell(f"item{i}"):
            raise fail(
                blob,
                f"line {line}: item{i} given, but {instrument.title} has {instrument.items} items",
            )


def _int(blob: Blob, line: int, column: str, value: str) -> int | None:
    if value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise fail(blob, f"line {line}, {column}: {value!r} is not an integer") from None


def _band(blob: Blob, line: int, instrument: Instrument, value: str) -> str | None:
    if value == "":
        return None
    names = [b.name for b in instrument.bands]
    if value.lower() not in names:
        raise fail(
            blob,
            f"line {line}, band: {value!r} is not a {instrument.title} band ({', '.join(names)})",
        )
    return value.lower()


def _flag(blob: Blob, line: int, value: str) -> bool | None:
    if value.lower() not in FLAGS:
        raise fail(blob, f"line {line}, crisis_flag: {value!r} is not true or false")
    return FLAGS[value.lower()]
