from pathlib import Path

import pytest

from p0gate.checks.count import CountCheck
from p0gate.errors import EvidenceError
from p0gate.outcome import Outcome
from tests.bundlekit import File, make_bundle, run_check

ROWS = (b'{"id": "I1", "severity": "critical", "category": "Safety", '
        b'"opened_at": "2025-09-20T10:00:00Z"}\n'
        b'{"id": "I2", "severity": "low", "category": "performance", '
        b'"opened_at": "2025-09-21T10:00:00Z"}\n')


def run(tmp_path: Path, data: bytes | None = ROWS, **kw: object):  # type: ignore[no-untyped-def]
    files = [] if data is None else [File("inc", "incidents", "i.jsonl", data)]
    check = CountCheck.model_validate({"type": "count", "artifact": "inc", **kw})
    return run_check(check, make_bundle(tmp_path, files))


def test_matching_is_case_insensitive_and_lists_hits(tmp_path: Path) -> None:
    result = run(tmp_path, where={"category": "safety"}, eq=0)
    assert result.outcome is Outcome.FAIL and result.measured == {"count": 1, "records": 2}
    assert "I1 (critical" in result.message


def test_lists_of_values_and_pass(tmp_path: Path) -> None:
    assert run(tmp_path / "a", where={"severity": ["high", "critical"],
                                      "category": "security"}, eq=0).outcome is Outcome.PASS
    assert run(tmp_path / "b", where={"severity": ["low", "critical"]}, ge=2).outcome \
        is Outcome.PASS


def test_empty_file_counts_zero_but_missing_file_is_inconclusive(tmp_path: Path) -> None:
    assert run(tmp_path / "a", b"", eq=0).outcome is Outcome.PASS
    assert run(tmp_path / "b", None, eq=0).outcome is Outcome.INCONCLUSIVE


def test_malformed_record_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match="line 1"):
        run(tmp_path, b'{"severity": "low"}\n', eq=0)


@pytest.mark.parametrize("category", [
    "Safety ", " safety", "SAFETY", "Safety\u00a0", "Safety\t", "Ｓａｆｅｔｙ", "Saf\u200bety",
    "\u202aSafety\u202c",
])
def test_spellings_of_the_category_still_count(tmp_path: Path, category: str) -> None:
    """The issue's case: `"Safety "` (trailing space) hid a high-severity safety incident."""
    row = {"id": "I9", "severity": "high", "category": category,
           "opened_at": "2025-09-20T10:00:00Z"}
    import json

    got = run(tmp_path, json.dumps(row).encode() + b"\n", where={"category": "safety"}, eq=0)
    assert got.outcome is Outcome.FAIL and got.measured["count"] == 1


def test_where_keys_and_values_are_folded_too(tmp_path: Path) -> None:
    got = run(tmp_path, ROWS, where={" Category": ["SAFETY\u00a0"]}, eq=0)
    assert got.outcome is Outcome.FAIL and got.measured["count"] == 1


def test_a_list_in_a_compared_field_is_an_error(tmp_path: Path) -> None:
    data = (b'{"severity": "low", "category": "x", "opened_at": "2025-09-20T10:00:00Z", '
            b'"team": ["crisis", "sync"]}\n')
    with pytest.raises(EvidenceError, match="list or object in 'team'"):
        run(tmp_path, data, where={"team": "crisis"}, eq=0)
    assert run(tmp_path / "b", data, where={"category": "x"}, eq=1).outcome is Outcome.PASS


def test_csv_header_spelling_does_not_hide_a_record(tmp_path: Path) -> None:
    files = [File("inc", "incidents", "i.csv",
                  b"ID, Category ,Severity,Opened At\nI1,Safety ,critical,2025-09-20T10:00:00Z\n")]
    check = CountCheck.model_validate({"type": "count", "artifact": "inc",
                                       "where": {"category": "safety"}, "eq": 0})
    with pytest.raises(EvidenceError, match="missing opened_at"):
        run_check(check, make_bundle(tmp_path, files))


TAGGED = (b'{"id": "S1", "severity": "medium", "category": "security", '
          b'"user_data_affected": false, "opened_at": "2025-09-20T10:00:00Z"}\n')


@pytest.mark.parametrize(("affected", "counted"), [
    (None, True), ('""', True), ("null", True), ('"unknown"', True), ("true", True),
    ('"TRUE"', True), ("false", False), ('"false"', False), ('" False "', False),
])
def test_where_not_fails_closed(tmp_path: Path, affected: str | None, counted: bool) -> None:
    """SE-7: a security incident counts unless it says user_data_affected is false."""
    field = "" if affected is None else f', "user_data_affected": {affected}'
    row = ('{"id": "S2", "severity": "medium", "category": "security"' + field
           + ', "opened_at": "2025-09-21T10:00:00Z"}\n').encode()
    result = run(tmp_path, TAGGED + row, where={"category": "security"},
                 where_not={"user_data_affected": "false"}, eq=0)
    assert result.measured == {"count": int(counted), "records": 2}
    assert result.outcome is (Outcome.FAIL if counted else Outcome.PASS)
    assert "user_data_affected≠false" in result.message


def test_where_not_refuses_a_list_in_the_compared_field(tmp_path: Path) -> None:
    row = (b'{"id": "S3", "severity": "low", "category": "security", '
           b'"user_data_affected": [false], "opened_at": "2025-09-21T10:00:00Z"}\n')
    with pytest.raises(EvidenceError, match="user_data_affected"):
        run(tmp_path, row, where_not={"user_data_affected": "false"}, eq=0)
