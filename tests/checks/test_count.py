from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


@pytest.mark.parametrize(("affected", "outcome", "possible"), [
    (None, Outcome.INCONCLUSIVE, 1), ('""', Outcome.INCONCLUSIVE, 1),
    ("null", Outcome.INCONCLUSIVE, 1), ('"unknown"', Outcome.FAIL, None),
    ("true", Outcome.FAIL, None), ('"TRUE"', Outcome.FAIL, None), ("false", Outcome.PASS, None),
    ('"false"', Outcome.PASS, None), ('" False "', Outcome.PASS, None),
])
def test_where_not_fails_closed(tmp_path: Path, affected: str | None, outcome: Outcome,
                                possible: int | None) -> None:
    """SE-7: a security incident counts unless it says user_data_affected is false; one that
    leaves the field blank may affect user data or not, so eq 0 cannot be decided."""
    field = "" if affected is None else f', "user_data_affected": {affected}'
    row = ('{"id": "S2", "severity": "medium", "category": "security"' + field
           + ', "opened_at": "2025-09-21T10:00:00Z"}\n').encode()
    result = run(tmp_path, TAGGED + row, where={"category": "security"},
                 where_not={"user_data_affected": "false"}, eq=0)
    counted = int(outcome is Outcome.FAIL)
    assert result.measured == {"count": counted, "records": 2,
                               **({"possible": possible} if possible else {})}
    assert result.outcome is outcome
    assert "user_data_affected≠false" in result.message
    if possible:
        assert "inc line 2 (user_data_affected)" in result.message
        assert "fill in those fields" in result.message


def test_where_not_refuses_a_list_in_the_compared_field(tmp_path: Path) -> None:
    row = (b'{"id": "S3", "severity": "low", "category": "security", '
           b'"user_data_affected": [false], "opened_at": "2025-09-21T10:00:00Z"}\n')
    with pytest.raises(EvidenceError, match="user_data_affected"):
        run(tmp_path, row, where_not={"user_data_affected": "false"}, eq=0)


UNSORTED = (b'{"id": "U1", "severity": "critical", "category": "safety", '
            b'"opened_at": "2025-09-20T10:00:00Z"}\n'
            b'{"id": "U2", "severity": "critical", "category": "safety", "team": null, '
            b'"opened_at": "2025-09-20T11:00:00Z"}\n')


def test_a_record_without_the_where_field_may_match(tmp_path: Path) -> None:
    """A record that lacks the field `where` names could be a match: eq 0 is undecided."""
    got = run(tmp_path, UNSORTED, where={"team": "crisis"}, eq=0)
    assert got.outcome is Outcome.INCONCLUSIVE
    assert got.measured == {"count": 0, "possible": 2, "records": 2}
    assert "inc line 1 (team); inc line 2 (team)" in got.message
    assert got.message.startswith("0 to 2 of 2 incidents match team=crisis")


@pytest.mark.parametrize(("comparator", "outcome"), [
    ({"eq": 0}, Outcome.FAIL), ({"le": 5}, Outcome.PASS), ({"ge": 1}, Outcome.PASS),
    ({"ge": 2}, Outcome.INCONCLUSIVE), ({"eq": 2}, Outcome.INCONCLUSIVE),
    ({"lt": 2}, Outcome.INCONCLUSIVE), ({"gt": 2}, Outcome.FAIL),
])
def test_decided_only_when_both_bounds_agree(tmp_path: Path, comparator: dict[str, int],
                                             outcome: Outcome) -> None:
    """One sure match (U1 is on the crisis team), one possible (U2 leaves team blank)."""
    data = UNSORTED.replace(b'"category": "safety", "opened_at": "2025-09-20T10',
                            b'"category": "safety", "team": "Crisis", '
                            b'"opened_at": "2025-09-20T10')
    got = run(tmp_path, data, where={"team": "crisis"}, **comparator)
    assert got.outcome is outcome
    assert got.measured == {"count": 1, "possible": 2, "records": 2}


def test_eq_inside_the_range_is_undecided(tmp_path: Path) -> None:
    """Both ends miss eq 1 (0 and 2), but a count of 1 would meet it."""
    got = run(tmp_path, UNSORTED, where={"team": "crisis"}, eq=1)
    assert got.outcome is Outcome.INCONCLUSIVE


def test_a_blank_wanted_value_decides_a_blank_field(tmp_path: Path) -> None:
    got = run(tmp_path, UNSORTED, where={"team": ["", "crisis"]}, eq=2)
    assert got.outcome is Outcome.PASS and "possible" not in got.measured


def test_a_csv_record_is_named_by_its_line(tmp_path: Path) -> None:
    files = [File("inc", "incidents", "i.csv",
                  b"id,category,severity,opened_at,team\n"
                  b"C1,safety,low,2025-09-20T10:00:00Z,sync\n"
                  b"C2,safety,low,2025-09-20T10:00:00Z,\n")]
    check = CountCheck.model_validate({"type": "count", "artifact": "inc",
                                       "where": {"team": "crisis"}, "eq": 0})
    got = run_check(check, make_bundle(tmp_path, files))
    assert got.outcome is Outcome.INCONCLUSIVE and "inc line 3 (team)" in got.message


_ROW = st.fixed_dictionaries({
    "category": st.sampled_from(["safety", "security"]),
    "team": st.sampled_from(["crisis", "sync", "", None, "absent"]),
    "user_data_affected": st.sampled_from(["false", "true", "", None, "absent"]),
})
_COMPARATOR = st.sampled_from(["eq", "le", "lt", "ge", "gt"]).flatmap(
    lambda op: st.integers(0, 4).map(lambda n: {op: n}))
_FILTER = st.sampled_from([
    {"where": {"team": "crisis"}},
    {"where": {"category": "security"}, "where_not": {"user_data_affected": "false"}},
    {"where": {"team": ["crisis", "sync"]}, "where_not": {"user_data_affected": "true"}},
])


def _jsonl(rows: list[dict[str, str | None]]) -> bytes:
    import json

    out = []
    for row in rows:
        record = {k: v for k, v in row.items() if v != "absent"}
        out.append(json.dumps({**record, "severity": "low",
                               "opened_at": "2025-09-20T10:00:00Z"}))
    return "".join(line + "\n" for line in out).encode()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_ROW, max_size=5), extra=_ROW, at=st.integers(0, 5),
       comparator=_COMPARATOR, chosen=_FILTER)
def test_a_record_missing_a_compared_field_never_makes_a_pass(
        tmp_path: Path, rows: list[dict[str, str | None]], extra: dict[str, str | None],
        at: int, comparator: dict[str, int], chosen: dict[str, object]) -> None:
    """Metamorphic: insert one record that leaves a compared field blank anywhere; an outcome
    that was not a pass never becomes one."""
    blank: dict[str, str | None] = {**extra, "team": "absent", "user_data_affected": None}
    before = run(tmp_path / "a", _jsonl(rows), **chosen, **comparator)
    grown = [*rows[:at], blank, *rows[at:]]
    after = run(tmp_path / "b", _jsonl(grown), **chosen, **comparator)
    if before.outcome is not Outcome.PASS:
        assert after.outcome is not Outcome.PASS, (before.message, after.message)
