"""Exact answers a SQL engine computed: exact cuts at every threshold, exact rank values."""

import json
from decimal import Decimal

import pytest

from p0gate.errors import EvidenceError
from p0gate.evidence.histograms.answers import FORMAT, parse_answers
from p0gate.evidence.histograms.decide import compare, exceedance


def doc(**changes: object) -> bytes:
    base = {"format": FORMAT, "unit": "ms", "count": 1000, "sum": 50000.0, "min": 1.0,
            "max": 900.0, "thresholds": [{"at": "200.0", "below": 998, "at_most": 999}],
            "ranks": [{"stat": "p99.9", "rank": 999, "value": 200.0}]}
    return json.dumps({**base, **changes}).encode()


def test_every_asked_question_is_exact() -> None:
    h = parse_answers(doc(), "a")
    assert h.source == "answers" and h.total == 1000
    assert compare(h, "p99.9", "lt", 200).holds is False
    assert compare(h, "p99.9", "le", 200).holds is True
    assert compare(h, "mean", "eq", 50).holds is True and compare(h, "max", "eq", 900).holds
    assert exceedance(h, 200, 0.002).verdict == "pass"  # 2 of 1000 are >= 200


def test_a_question_not_asked_is_open_and_says_to_collect_again() -> None:
    h = parse_answers(doc(), "a")
    decision = compare(h, "p50", "lt", 100)
    assert decision.holds is None and decision.boundary is not None
    assert "re-run `p0gate collect`" in h.advice(decision.boundary)


def test_the_unit_converts_to_ms() -> None:
    h = parse_answers(doc(unit="s", thresholds=[{"at": "0.2", "below": 998, "at_most": 999}],
                          ranks=[{"stat": "p99.9", "rank": 999, "value": 0.2}], min=0.001,
                          max=0.9, sum=50.0), "a")
    assert h.at_rank(999).low == Decimal(200) and compare(h, "p99.9", "le", 200).holds


@pytest.mark.parametrize(("changes", "needle"), [
    ({"format": "other"}, "not a p0gate-exact-answers/1"),
    ({"ranks": [{"stat": "p99.9", "rank": 998, "value": 1.0}]}, "rank of p99.9 must be 999"),
    ({"count": 1.5}, "not a whole number"),
    ({"thresholds": [{"at": "200", "below": 999, "at_most": 998}]}, "not cumulative"),
    ({"thresholds": "x"}, "must be a list"),
])
def test_inconsistent_answers_are_refused(changes: dict[str, object], needle: str) -> None:
    with pytest.raises(EvidenceError, match=needle):
        parse_answers(doc(**changes), "a")


@pytest.mark.parametrize(("changes", "needle"), [
    # p99.9 (rank 999) said to be 150 ms while only 998 events are below 200 ms: an edit
    ({"ranks": [{"stat": "p99.9", "rank": 999, "value": 150.0}]}, "contradicts the counts"),
    ({"max": 150.0, "ranks": []}, "contradicts the counts"),  # 2 events are >= 200 ms
    ({"max": 150.0}, "above a higher rank's value"),  # p99.9 is 200 ms
    ({"min": 950.0}, "above a higher rank's value"),
    ({"sum": -5.0}, "not a sum of 1000 latencies"),
    ({"sum": 10.0}, "contradicts the buckets"),  # at least 2 events >= 200 ms
])
def test_answers_that_contradict_themselves_are_refused(changes: dict[str, object],
                                                        needle: str) -> None:
    """An edited (and re-sealed) answers file whose exact values disagree with its counts
    must not decide a control from the edited value."""
    with pytest.raises(EvidenceError, match=needle):
        parse_answers(doc(**changes), "a")
