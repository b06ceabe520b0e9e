"""count over incidents: one safety incident, however it is written, is never a pass."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import strategies as st

from p0gate.checks.base import Outcome
from p0gate.checks.count import CountCheck
from tests.bundlekit import File
from tests.metamorphic.kit import EXAMPLE, never_passes, passes, respelled, run_relation

BASE = (EXAMPLE / "ops" / "incidents.jsonl").read_bytes()
CHECK = CountCheck.model_validate({"type": "count", "artifact": "incidents",
                                   "where": {"category": "safety"}, "eq": 0})


Field = tuple[str, str, str]  # (field, name as written, value as written)


@st.composite
def incident(draw: st.DrawFn) -> list[Field]:
    """One high-severity safety incident: field names and values respelled, any key order,
    maybe a repeated field whose other copy says something harmless."""
    fields: list[Field] = [
        ("category", draw(respelled("category")), draw(respelled("safety"))),
        ("severity", draw(respelled("severity")), draw(respelled("high"))),
        ("opened_at", "opened_at", "2025-09-26T09:00:00Z"),
        ("id", "id", "INC-999"),
        ("title", "title", "Crisis button hidden behind a banner"),
    ]
    if draw(st.booleans()):
        fields.append(("category", draw(respelled("category")), "performance"))
    return draw(st.permutations(fields))


def _jsonl(fields: list[Field]) -> bytes:
    body = ", ".join(f"{json.dumps(name)}: {json.dumps(value)}" for _, name, value in fields)
    return BASE + ("{" + body + "}\n").encode()


def _csv(fields: list[Field]) -> bytes:
    """The passing records and the new one, under the new record's (respelled) header."""
    rows = [json.loads(line) for line in BASE.decode().splitlines() if line.strip()]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([name for _, name, _ in fields])
    for row in rows:
        writer.writerow([row.get(field, "") for field, _, _ in fields])
    writer.writerow([value for _, _, value in fields])
    return out.getvalue().encode()


def test_a_safety_incident_is_never_hidden() -> None:
    passes(CHECK, [File("incidents", "incidents", "i.jsonl", BASE)])

    def relation(case: object) -> None:
        fields, as_csv = case  # type: ignore[misc]
        data = _csv(fields) if as_csv else _jsonl(fields)
        got = never_passes(CHECK, [File("incidents", "incidents",
                                        "i.csv" if as_csv else "i.jsonl", data)])
        if len(fields) == 5:  # no repeated field: understood, so a plain failure
            assert got is Outcome.FAIL

    run_relation(st.tuples(incident(), st.booleans()), relation)
