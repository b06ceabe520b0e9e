"""A release's history: which gate was passed, since when, and what ends a lifecycle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from p0gate.history import History, PriorDecision, stamp

NOW = datetime(2025, 10, 1, tzinfo=UTC)


def d(gate: str, decision: str, days_before: float, *, version: str = "1.0") -> PriorDecision:
    return PriorDecision("app", version, gate, decision, NOW - timedelta(days=days_before),
                         f"{gate}@{days_before}")


def passed(*rows: PriorDecision, gate: str = "beta", min_days: float = 7) -> bool:
    return History(rows).passed(system="app", version="1.0", gate=gate, now=NOW,
                                min_days=min_days).met


def test_min_days_is_inclusive_and_counted_from_the_first_go_of_the_last_run() -> None:
    assert passed(d("beta", "GO", 7))
    assert not passed(d("beta", "GO", 6.99))
    assert passed(d("beta", "GO", 8), d("beta", "GO", 1))
    assert not passed(d("beta", "GO", 8), d("beta", "NO-GO", 5), d("beta", "GO", 3))


def test_monitor_decisions_are_not_gate_decisions_but_a_rollback_ends_the_lifecycle() -> None:
    assert passed(d("beta", "GO", 9), d("beta", "OK", 1))
    found = History((d("beta", "GO", 9), d("staging", "ROLLBACK", 2))).passed(
        system="app", version="1.0", gate="beta", now=NOW, min_days=7)
    assert not found.met and "rolled back at " + stamp(NOW - timedelta(days=2)) in found.message
    assert passed(d("beta", "ROLLBACK", 10), d("beta", "GO", 8))  # rolled back before the GO


def test_messages_name_the_decision_and_its_source() -> None:
    found = History((d("beta", "GO", 6.75),)).passed(system="app", version="1.0", gate="beta",
                                                     now=NOW, min_days=7)
    assert found.message == ("beta GO at 2025-09-24T06:00:00Z (beta@6.75) is 6.75 days old, "
                             "7 required")
    assert found.age_days == 6.75 and found.decision is not None


rows = st.lists(st.tuples(
    st.sampled_from(["beta", "staging"]), st.sampled_from(["GO", "NO-GO", "OK", "ROLLBACK"]),
    st.floats(min_value=-3, max_value=30, allow_nan=False), st.sampled_from(["1.0", "2.0"])),
    max_size=8)


@given(rows, rows)
def test_other_releases_never_change_the_answer(mine: list[tuple[str, str, float, str]],
                                                theirs: list[tuple[str, str, float, str]]) -> None:
    own = [d(g, dec, days) for g, dec, days, _ in mine]
    other = [PriorDecision("other-app", v, g, dec, NOW - timedelta(days=days), "x")
             for g, dec, days, v in theirs]
    assert passed(*own) == passed(*own, *other)


@given(rows)
def test_met_only_with_a_standing_go_old_enough(found: list[tuple[str, str, float, str]]) -> None:
    decisions = [d(g, dec, days, version=v) for g, dec, days, v in found]
    mine = sorted((x for x in decisions if x.version == "1.0" and x.evaluated_at <= NOW),
                  key=lambda x: x.evaluated_at)
    at_gate = [x for x in mine if x.gate == "beta" and x.decision in ("GO", "NO-GO")]
    if passed(*decisions):
        assert at_gate and at_gate[-1].decision == "GO"
        assert any(x.decision == "GO" and NOW - x.evaluated_at >= timedelta(days=7)
                   for x in at_gate)
    elif at_gate and all(x.decision == "GO" for x in at_gate) and not any(
            x.decision == "ROLLBACK" for x in mine):
        assert NOW - at_gate[0].evaluated_at < timedelta(days=7)
