import pytest

from p0gate.gate import decide, is_rollback, monitor, warnings
from p0gate.outcome import AlertLevel, Outcome
from p0gate.result import ControlResult


def control(outcome: Outcome, blocking: bool = True, cid: str = "CR-1-X",
            rollback: bool = False) -> ControlResult:
    return ControlResult(id=cid, title="t", authority="crisis", severity="critical",
                         blocking=blocking, waivable=False, outcome=outcome, measured={},
                         required={}, alert_level=None, rollback=rollback, message="m",
                         evidence=[], references=[], source="crisis.yaml:1")


@pytest.mark.parametrize(("outcome", "decision"), [
    (Outcome.PASS, "GO"), (Outcome.WAIVED, "GO"), (Outcome.NOT_APPLICABLE, "GO"),
    (Outcome.FAIL, "NO-GO"), (Outcome.ERROR, "NO-GO"), (Outcome.INCONCLUSIVE, "NO-GO"),
])
def test_blocking_outcomes(outcome: Outcome, decision: str) -> None:
    assert decide([control(Outcome.PASS), control(outcome)]) == decision


def test_non_blocking_failure_is_go_with_a_warning() -> None:
    controls = [control(Outcome.PASS), control(Outcome.FAIL, blocking=False, cid="US-2-X")]
    assert decide(controls) == "GO"
    assert warnings(controls) == ["US-2-X: fail: m"]


def test_rollback_rules() -> None:
    assert is_rollback(emergency_rollback=True, alert=AlertLevel.EMERGENCY, outcome=Outcome.PASS,
                       trigger=False)
    assert not is_rollback(emergency_rollback=False, alert=AlertLevel.EMERGENCY,
                           outcome=Outcome.PASS, trigger=False)
    assert not is_rollback(emergency_rollback=True, alert=AlertLevel.CRITICAL,
                           outcome=Outcome.FAIL, trigger=False)
    assert is_rollback(emergency_rollback=False, alert=None, outcome=Outcome.FAIL, trigger=True)
    assert is_rollback(emergency_rollback=False, alert=None, outcome=Outcome.ERROR, trigger=True)
    assert not is_rollback(emergency_rollback=False, alert=None, outcome=Outcome.INCONCLUSIVE,
                           trigger=True)


@pytest.mark.parametrize("outcome", list(Outcome))
def test_a_fired_trigger_always_wins(outcome: Outcome) -> None:
    """Whatever the control's outcome became (a waiver, say), a fired trigger is NO-GO."""
    assert decide([control(Outcome.PASS), control(outcome, rollback=True)]) == "NO-GO"
    assert monitor([control(Outcome.PASS), control(outcome, rollback=True)]) == "ROLLBACK"


def test_an_unmet_after_is_no_go_and_monitoring_only_watches_triggers() -> None:
    assert decide([control(Outcome.PASS)], after_met=False) == "NO-GO"
    assert decide([control(Outcome.PASS)], after_met=True) == "GO"
    assert monitor([control(Outcome.FAIL), control(Outcome.INCONCLUSIVE)]) == "OK"
