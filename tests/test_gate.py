import pytest

from p0gate.gate import contradictions, decide, is_rollback, warnings
from p0gate.outcome import AlertLevel, Decision, Outcome
from p0gate.result import BundleInfo, ControlResult, PackInfo, Result, Waivers


def control(outcome: Outcome, blocking: bool = True, cid: str = "CR-1-X") -> ControlResult:
    return ControlResult(id=cid, title="t", authority="crisis", severity="critical",
                         blocking=blocking, waivable=False, outcome=outcome, measured={},
                         required={}, alert_level=None, rollback=False, message="m",
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
    assert is_rollback(authority="crisis", alert=AlertLevel.EMERGENCY, outcome=Outcome.PASS,
                       trigger=False)
    assert not is_rollback(authority="performance", alert=AlertLevel.EMERGENCY,
                           outcome=Outcome.PASS, trigger=False)
    assert is_rollback(authority="performance", alert=None, outcome=Outcome.FAIL, trigger=True)
    assert not is_rollback(authority="performance", alert=None, outcome=Outcome.INCONCLUSIVE,
                           trigger=True)


def _result(controls: list[ControlResult], **change: object) -> Result:
    counts = {o.value: sum(c.outcome is o for c in controls) for o in Outcome}
    base = Result(apiVersion="p0gate/v1", evaluated_at="2025-10-01T00:00:00Z", phase="beta",
                  rollout_percent=None, pack=PackInfo(name="p", digest="b" * 64),
                  bundle=BundleInfo(metadata={}, digest="c" * 64, evidence_digest="d" * 64),
                  baseline=None, decision=decide(controls),
                  rollback=any(c.rollback for c in controls), counts=counts, warnings=[],
                  waivers=Waivers(), controls=controls)
    return base.model_copy(update=change).sealed()


def test_a_consistent_result_has_no_contradictions() -> None:
    assert contradictions(_result([control(Outcome.PASS), control(Outcome.FAIL, cid="B-1")])) \
        == []


def test_a_go_whose_blocking_control_fails_contradicts_itself() -> None:
    found = contradictions(_result([control(Outcome.FAIL)], decision=Decision.GO,
                                   counts={"pass": 1}))
    assert any("it says GO, but its controls give NO-GO (blocking: CR-1-X fail)" in f
               for f in found)
    assert any("counts 1 pass are not those of its controls (1 fail)" in f for f in found)


@pytest.mark.parametrize("counts", [{"pass": 10**40}, {"pass": -1}, {"pass": 1, "extra": 0},
                                    {}])
def test_counts_must_be_the_controls_counts(counts: dict[str, int]) -> None:
    assert any("counts" in f for f in contradictions(_result([control(Outcome.PASS)],
                                                             counts=counts)))


def test_forged_waived_and_rollback_flags_are_contradictions() -> None:
    locked = control(Outcome.WAIVED)  # waivable: False, and no waiver record
    found = contradictions(_result([locked]))
    assert "CR-1-X: waived, but it is not waivable" in found
    assert "CR-1-X: waived without an applied waiver" in found
    hidden = control(Outcome.FAIL).model_copy(update={"alert_level": AlertLevel.EMERGENCY})
    assert any("without its rollback flag" in f for f in contradictions(_result([hidden])))
    flagged = control(Outcome.FAIL).model_copy(update={"rollback": True})
    found = contradictions(_result([flagged], rollback=False))
    assert any("rollback flag is false" in f for f in found)
