"""Incident records: the same records as CSV or JSON Lines read the same (metamorphic)."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from p0gate.evidence.incidents import Incidents, IncidentsReader
from tests.bundlekit import blob_of

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12)
RECORDS = st.lists(st.fixed_dictionaries({
    "id": WORDS, "severity": st.sampled_from(["critical", "high", "medium", "low"]),
    "category": WORDS,
    "opened_at": st.datetimes(timezones=st.just(__import__("datetime").UTC)).map(
        lambda d: d.isoformat()),
}), min_size=1, max_size=20)


def read(path: str, data: bytes) -> Incidents:
    return IncidentsReader().read(blob_of("incidents", path, data, "incidents"))


def as_csv(records: list[dict[str, str]], columns: list[str]) -> bytes:
    rows = [",".join(columns)] + [",".join(r[c] for c in columns) for r in records]
    return ("\n".join(rows) + "\n").encode()


@settings(max_examples=60, deadline=None)
@given(RECORDS, st.permutations(["id", "severity", "category", "opened_at"]))
def test_csv_and_json_lines_of_the_same_records_agree(records: list[dict[str, str]],
                                                      columns: list[str]) -> None:
    jsonl = "".join(json.dumps(r) + "\n" for r in records).encode()
    from_csv, from_jsonl = read("i.csv", as_csv(records, columns)), read("i.jsonl", jsonl)
    assert from_csv == from_jsonl and len(from_csv.records) == len(records)
    assert [r.fields["id"] for r in from_csv.records] == [r["id"] for r in records]


@settings(max_examples=40, deadline=None)
@given(RECORDS)
def test_blank_lines_between_json_records_change_nothing(records: list[dict[str, str]]) -> None:
    plain = "".join(json.dumps(r) + "\n" for r in records).encode()
    spaced = "".join(json.dumps(r) + "\n\n  \n" for r in records).encode()
    assert read("i.jsonl", plain) == read("i.jsonl", spaced)
