"""Incident records: the same records as CSV or JSON Lines read the same (metamorphic)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from p0gate.errors import EvidenceError
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


OPENED = "2025-09-20T10:00:00Z"


def test_field_names_are_folded_and_values_kept() -> None:
    csv = f" Category ,SEVERITY,Opened_At\nSafety\u00a0,High,{OPENED}\n".encode()
    (record,) = read("i.csv", csv).records
    assert record.fields == {"category": "Safety\u00a0", "severity": "High", "opened_at": OPENED}


@pytest.mark.parametrize(("name", "data", "words"), [
    ("i.csv", f"category,severity,opened_at,Category\nsafety,high,{OPENED},x\n".encode(),
     "'category' is given twice"),
    ("i.jsonl", b'{"category": "a", "category": "safety", "severity": "high", '
                b'"opened_at": "' + OPENED.encode() + b'"}\n', "duplicate key 'category'"),
    ("i.jsonl", b'{"category": "a", "Category": "safety", "severity": "high", '
                b'"opened_at": "' + OPENED.encode() + b'"}\n', "given twice"),
    ("i.jsonl", b'{"category": ["safety"], "severity": "high", "opened_at": "'
                + OPENED.encode() + b'"}\n', "category must be one value, not a list"),
    ("i.jsonl", b'{"category": "safety", "severity": {"level": "high"}, "opened_at": "'
                + OPENED.encode() + b'"}\n', "not a object"),
    ("i.csv", f"category,severity,opened_at\nsafety,high,{OPENED},extra\n".encode(),
     "4 cells under a header of 3"),
    ("i.csv", b"category,severity,opened_at\nsafety,high\n", "2 cells"),
    ("i.jsonl", b'{"category": "safety", "severity": "high", "opened_at": 1727000000}\n',
     "not ISO 8601"),
    ("i.jsonl", b'{"category": "\\u200b", "severity": "high", "opened_at": "'
                + OPENED.encode() + b'"}\n', "missing category"),
    ("i.jsonl", b'{"category": "s", "severity": "high", "opened_at": "x", "n": ' + b"1" * 5000
     + b"}\n", "not valid JSON"),
    ("i.jsonl", b'{"category": "s", "severity": NaN, "opened_at": "x"}\n', "not valid JSON"),
])
def test_ambiguous_or_malformed_records_are_invalid(name: str, data: bytes, words: str) -> None:
    with pytest.raises(EvidenceError, match="line") as info:
        read(name, data)
    assert words in str(info.value).replace("an object", "a object")


def test_lists_in_other_fields_are_marked() -> None:
    data = (b'{"category": "safety", "severity": "high", "opened_at": "' + OPENED.encode()
            + b'", "tags": ["a", "b"], "count": ' + b"9" * 40 + b"}\n")
    (record,) = read("i.jsonl", data).records
    assert record.structured == {"tags"} and record.fields["count"] == "9" * 40
