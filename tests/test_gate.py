import pytest

from p0gate.gate import contradictions, decide, derived, is_rollback, monitor, warnings
from p0gate.outcome import AlertLevel, Decision, Outcome
from p0gate.result import (
    AfterOut,
    AuthorityOut,
    BundleInfo,
    ControlResult,
    EscalationOut,
    PackInfo,
    Result,
    WaiverRecord,
    Waivers,
)


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


AUTHORITIES = [AuthorityOut(id="crisis", title="Crisis Authority", role="crisis-authority",
                           emergency_rollback=True),
               AuthorityOut(id="ops", title="Operations", role="ops-lead")]


def _result(controls: list[ControlResult], **change: object) -> Result:
    counts = {o.value: sum(c.outcome is o for c in controls) for o in Outcome}
    base = Result(apiVersion="p0gate/v1", evaluated_at="2025-10-01T00:00:00Z", gate="beta",
                  rollout_percent=None, pack=PackInfo(name="p", digest="b" * 64,
                                                      authorities=AUTHORITIES),
                  bundle=BundleInfo(metadata={}, digest="c" * 64, evidence_digest="d" * 64),
                  baseline=None, decision=decide(controls),
                  rollback=any(c.rollback for c in controls), counts=counts, warnings=[],
                  waivers=Waivers(), controls=controls)
    changed = base.model_copy(update=change)
    if "decision" not in change:  # what the rules give for the changed fields
        changed = changed.model_copy(update={"decision": derived(changed)})
    return changed.sealed()


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


@pytest.mark.parametrize("outcome", list(Outcome))
def test_a_fired_trigger_always_wins(outcome: Outcome) -> None:
    """Whatever the control's outcome became (a waiver, say), a fired trigger is NO-GO."""
    assert decide([control(Outcome.PASS), control(outcome, rollback=True)]) == "NO-GO"
    assert monitor([control(Outcome.PASS), control(outcome, rollback=True)]) == "ROLLBACK"


def test_an_unmet_after_is_no_go_and_monitoring_only_watches_triggers() -> None:
    assert decide([control(Outcome.PASS)], after_met=False) == "NO-GO"
    assert decide([control(Outcome.PASS)], after_met=True) == "GO"
    assert monitor([control(Outcome.FAIL), control(Outcome.INCONCLUSIVE)]) == "OK"


def test_a_fired_trigger_or_an_unmet_after_makes_a_consistent_no_go() -> None:
    fired = control(Outcome.FAIL, blocking=False).model_copy(update={"rollback": True})
    assert contradictions(_result([control(Outcome.PASS), fired])) == []
    unmet = AfterOut(gate="alpha", min_days=7, met=False, message="no decision at alpha")
    assert contradictions(_result([control(Outcome.PASS)], after=unmet)) == []


def test_a_go_despite_a_fired_trigger_or_an_unmet_after_contradicts_itself() -> None:
    fired = control(Outcome.FAIL, blocking=False).model_copy(update={"rollback": True})
    found = contradictions(_result([fired], decision=Decision.GO))
    assert any("it says GO, but its controls give NO-GO (rollback triggers fired: CR-1-X)" in f
               for f in found), found
    unmet = AfterOut(gate="alpha", min_days=7, met=False, message="too recent")
    found = contradictions(_result([control(Outcome.PASS)], after=unmet, decision=Decision.GO))
    assert any("(after: alpha is not met)" in f for f in found), found


def test_emergency_rollback_comes_from_the_results_authorities() -> None:
    """An emergency alert fires only on a control of an authority the result lists as
    ``emergency_rollback`` (the pack's choice, not a built-in ``crisis``)."""
    ops = control(Outcome.PASS, cid="OP-1").model_copy(update={
        "authority": "ops", "alert_level": AlertLevel.EMERGENCY})
    assert contradictions(_result([ops])) == []
    found = contradictions(_result([ops.model_copy(update={"rollback": True})]))
    assert "OP-1: a rollback flag on a pass outcome" in found
    crisis = ops.model_copy(update={"authority": "crisis", "rollback": True})
    assert contradictions(_result([crisis])) == []
    alone = _result([crisis.model_copy(update={"rollback": False})])
    assert any("emergency alert on a control of crisis" in f for f in contradictions(alone))


def test_a_waived_trigger_contradicts_itself() -> None:
    record = WaiverRecord(control="CR-1-X", reason="r", approved_by="a", role="r",
                          expires="2026-01-01", status="applied")
    waived = control(Outcome.WAIVED).model_copy(update={
        "rollback": True, "waivable": True, "waiver": record})
    found = contradictions(_result([waived], waivers=Waivers(applied=[record])))
    assert "CR-1-X: a fired rollback trigger is waived (triggers always win)" in found


def test_a_monitor_result_follows_the_monitor_rule() -> None:
    fired = control(Outcome.FAIL).model_copy(update={"rollback": True})
    steps = [EscalationOut(to="On-call", when="Now")]
    rollback = _result([fired], mode="monitor", decision=Decision.ROLLBACK, escalation=steps)
    assert contradictions(rollback) == []
    calm = _result([control(Outcome.FAIL)], mode="monitor", decision=Decision.OK)
    assert contradictions(calm) == []  # in monitor mode only triggers decide
    found = contradictions(_result([fired], mode="monitor", decision=Decision.OK))
    assert any("it says OK, but its controls give ROLLBACK" in f for f in found), found
    found = contradictions(_result([fired], mode="monitor", decision=Decision.NO_GO))
    assert any("it says NO-GO, but its controls give ROLLBACK" in f for f in found), found


def test_escalation_waivers_and_after_fit_the_mode() -> None:
    steps = [EscalationOut(to="On-call", when="Now")]
    found = contradictions(_result([control(Outcome.PASS)], escalation=steps))
    assert "it names an escalation path with a GO decision" in found
    unmet = AfterOut(gate="alpha", min_days=7, met=True, message="ok")
    found = contradictions(_result([control(Outcome.PASS)], mode="monitor",
                                   decision=Decision.OK, after=unmet))
    assert any("a monitor result with waivers applied or an after:" in f for f in found)


def _measured(outcome: Outcome, value: float, unit: str = "ms") -> ControlResult:
    from p0gate.measures import Bound

    return control(outcome).model_copy(update={
        "measured": {"max": value, "samples": 4000}, "units": {"max": unit, "samples": "samples"},
        "bounds": [Bound(key="max", op="le", value=200.0, unit="ms")]})


def test_a_pass_whose_own_numbers_miss_its_requirement_contradicts_itself() -> None:
    """An outcome flipped to pass (decision, counts and digest recomputed) while the measured
    value still says 409 ms against <= 200 ms: refused by report and verify, evidence or not."""
    assert contradictions(_result([_measured(Outcome.PASS, 150.0)])) == []
    assert contradictions(_result([_measured(Outcome.FAIL, 409.348)])) == []
    found = contradictions(_result([_measured(Outcome.PASS, 409.348)]))
    assert found == ["CR-1-X: passes, but its max 409.348 misses <= 200 ms"]


def test_a_value_measured_in_another_unit_than_its_requirement_contradicts_itself() -> None:
    found = contradictions(_result([_measured(Outcome.PASS, 0.15, unit="s")]))
    assert found == ["CR-1-X: its max is measured in s but required in ms"]


def test_max_age_and_unvouched_triggers_fit_the_mode() -> None:
    """Only monitoring has a --max-age; a trigger it could not vouch for allows only a
    ROLLBACK."""
    found = contradictions(_result([control(Outcome.PASS)], max_age_seconds=900.0))
    assert "an evaluation with a --max-age (only monitoring has one)" in found
    assert contradictions(_result([control(Outcome.PASS)], mode="monitor",
                                  decision=Decision.OK, max_age_seconds=900.0)) == []
    gap = "not monitored: trigger CR-1-X reads crisis, collected 2025-09-30T12:00:00Z, more than"
    found = contradictions(_result([control(Outcome.PASS)], mode="monitor",
                                   decision=Decision.OK, warnings=[gap]))
    assert any("it says OK with a trigger it could not vouch for (trigger CR-1-X" in f
               for f in found), found
    fired = control(Outcome.FAIL).model_copy(update={"rollback": True})
    steps = [EscalationOut(to="On-call", when="Now")]
    assert contradictions(_result([fired], mode="monitor", decision=Decision.ROLLBACK,
                                  escalation=steps, warnings=[gap])) == []
