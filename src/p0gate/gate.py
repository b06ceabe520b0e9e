"""The decision rules. At a gate: NO-GO when a rollback trigger fired (whatever the waivers),
when any applicable blocking control is not a pass or a waiver, or when the gate's ``after:``
is not met; otherwise GO. In monitor mode: ROLLBACK when a trigger fired, otherwise OK.

``contradictions`` applies the same rules to a result read back (by `report`, `verify` and
the history's signed prior reports): its decision, counts, rollback flags and waived
outcomes must follow from its own controls, its ``after:`` and its mode, or the result
disagrees with itself and is neither signed nor verified.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from p0gate.outcome import AlertLevel, Decision, Outcome

if TYPE_CHECKING:
    from p0gate.result import ControlResult, Result

BLOCKING_OUTCOMES = frozenset({Outcome.FAIL, Outcome.ERROR, Outcome.INCONCLUSIVE})
FIRED = frozenset({Outcome.FAIL, Outcome.ERROR})


def decide(controls: Iterable[ControlResult], *, after_met: bool = True) -> Decision:
    listed = list(controls)
    if any(c.rollback for c in listed) or not after_met:
        return Decision.NO_GO
    blocked = any(c.blocking and c.outcome in BLOCKING_OUTCOMES for c in listed)
    return Decision.NO_GO if blocked else Decision.GO


def monitor(controls: Iterable[ControlResult]) -> Decision:
    """Monitor mode: a fired trigger calls for a ROLLBACK; nothing else decides."""
    return Decision.ROLLBACK if any(c.rollback for c in controls) else Decision.OK


def is_rollback(*, emergency_rollback: bool, alert: AlertLevel | None, outcome: Outcome,
                trigger: bool) -> bool:
    """A failing (or erroring) rollback-trigger control, or an emergency alert on a control
    of an authority the pack marks ``emergency_rollback``."""
    if emergency_rollback and alert is AlertLevel.EMERGENCY:
        return True
    return trigger and outcome in FIRED


def warnings(controls: Iterable[ControlResult]) -> list[str]:
    """Non-blocking controls that did not pass: GO, with these warnings."""
    return [f"{c.id}: {c.outcome.value}: {c.message}" for c in controls
            if not c.blocking and c.outcome in BLOCKING_OUTCOMES]


def derived(result: Result) -> Decision:
    """The decision the rules give for ``result``'s own controls, ``after:`` and mode."""
    if result.mode == "monitor":
        return monitor(result.controls)
    return decide(result.controls, after_met=result.after is None or result.after.met)


def contradictions(result: Result) -> list[str]:
    """Where ``result`` disagrees with its own controls under the rules (empty: none)."""
    controls = result.controls
    emergency = {a.id for a in result.pack.authorities if a.emergency_rollback}
    found = [f"{c.id}: {why}" for c in controls for why in _control_contradictions(c, emergency)]
    recount = {o.value: sum(c.outcome is o for c in controls) for o in Outcome}
    if dict(result.counts) != recount:
        found.append(f"its counts {_counts(result.counts)} are not those of its controls "
                     f"({_counts(recount)})")
    rule = derived(result)
    if result.decision != rule:
        found.append(f"it says {result.decision}, but its controls give {rule}{_why(result)}")
    if result.rollback != any(c.rollback for c in controls):
        found.append(f"its rollback flag is {str(result.rollback).lower()}, its controls' "
                     f"{str(not result.rollback).lower()}")
    applied = {(w.control, w.expires) for w in result.waivers.applied}
    stray = [c.id for c in controls if c.waiver is not None and c.outcome is Outcome.WAIVED
             and (c.waiver.control, c.waiver.expires) not in applied]
    found.extend(f"{cid}: its waiver is not among the applied waivers" for cid in stray)
    return found + _mode_contradictions(result)


def _why(result: Result) -> str:
    """What gives the rules' decision: fired triggers, an unmet ``after:``, blocking controls."""
    fired = [c.id for c in result.controls if c.rollback]
    if fired:
        return f" (rollback triggers fired: {', '.join(fired[:10])})"
    if result.mode == "evaluate" and result.after is not None and not result.after.met:
        return f" (after: {result.after.gate} is not met)"
    blocking = [f"{c.id} {c.outcome.value}" for c in result.controls
                if c.blocking and c.outcome in BLOCKING_OUTCOMES]
    return f" (blocking: {', '.join(blocking[:10])})" if blocking else ""


def _mode_contradictions(result: Result) -> list[str]:
    """Monitor mode applies no waiver and has no ``after:``; only a ROLLBACK escalates or
    leaves a trigger unvouched for; only monitoring has a ``--max-age``."""
    found = []
    if result.mode == "monitor" and (result.waivers.applied or result.after is not None):
        found.append("a monitor result with waivers applied or an after: (monitoring has "
                     "neither)")
    if result.mode == "evaluate" and result.max_age_seconds is not None:
        found.append("an evaluation with a --max-age (only monitoring has one)")
    unvouched = [w for w in result.warnings if w.startswith("not monitored: ")]
    if unvouched and result.decision is not Decision.ROLLBACK:
        found.append(f"it says {result.decision} with a trigger it could not vouch for "
                     f"({unvouched[0].removeprefix('not monitored: ')}): only a ROLLBACK may")
    if result.escalation and result.decision is not Decision.ROLLBACK:
        found.append(f"it names an escalation path with a {result.decision} decision")
    return found


def _control_contradictions(c: ControlResult, emergency_authorities: set[str]) -> list[str]:
    """A control's outcome and rollback flag against its own fields; an emergency alert on a
    control of an ``emergency_rollback`` authority (the result's pack.authorities) fires."""
    found = []
    if c.outcome is Outcome.WAIVED and not c.waivable:
        found.append("waived, but it is not waivable")
    if c.outcome is Outcome.WAIVED and (c.waiver is None or c.waiver.status != "applied"):
        found.append("waived without an applied waiver")
    if c.waiver is not None and c.waiver.control != c.id:
        found.append(f"carries the waiver of {c.waiver.control}")
    emergency = c.authority in emergency_authorities and c.alert_level is AlertLevel.EMERGENCY
    if emergency and not c.rollback:
        found.append(f"an emergency alert on a control of {c.authority} (emergency_rollback) "
                     "without its rollback flag")
    if c.rollback and c.outcome is Outcome.WAIVED:
        found.append("a fired rollback trigger is waived (triggers always win)")
    elif c.rollback and not emergency and c.outcome not in FIRED:
        found.append(f"a rollback flag on a {c.outcome.value} outcome")
    return found + _measure_contradictions(c)


def _measure_contradictions(c: ControlResult) -> list[str]:
    """A requirement in one unit on a value measured in another, or a pass whose own exact
    measured value misses its requirement (an outcome flipped without its numbers)."""
    found = []
    for bound in c.bounds:
        unit = c.units.get(bound.key)
        if unit is not None and unit != bound.unit:
            found.append(f"its {bound.key} is measured in {unit} but required in {bound.unit}")
        value = c.measured.get(bound.key)
        if c.outcome is Outcome.PASS and isinstance(value, int | float) \
                and not isinstance(value, bool) and not bound.holds(float(value)):
            found.append(f"passes, but its {bound.key} {value:g} misses {bound.symbol} "
                         f"{bound.value:g} {bound.unit}")
    return found


def _counts(counts: object) -> str:
    items = counts.items() if isinstance(counts, dict) else []
    return ", ".join(f"{n} {k}" for k, n in sorted(items) if n) or "none"
