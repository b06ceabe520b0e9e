"""The decision rule: NO-GO when any applicable blocking control is not a pass or waiver.

``contradictions`` applies the rule to a result read back (by `report` and `verify`): its
decision, counts, rollback flags and waived outcomes must follow from its own controls, or
the result disagrees with itself and is neither signed nor verified.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from p0gate.outcome import AlertLevel, Decision, Outcome

if TYPE_CHECKING:
    from p0gate.result import ControlResult, Result

BLOCKING_OUTCOMES = frozenset({Outcome.FAIL, Outcome.ERROR, Outcome.INCONCLUSIVE})


def decide(controls: Iterable[ControlResult]) -> Decision:
    blocked = any(c.blocking and c.outcome in BLOCKING_OUTCOMES for c in controls)
    return Decision.NO_GO if blocked else Decision.GO


def is_rollback(*, authority: str, alert: AlertLevel | None, outcome: Outcome,
                trigger: bool) -> bool:
    """An emergency alert on a crisis control, or a failing rollback-trigger control."""
    if authority == "crisis" and alert is AlertLevel.EMERGENCY:
        return True
    return trigger and outcome in {Outcome.FAIL, Outcome.ERROR}


def warnings(controls: Iterable[ControlResult]) -> list[str]:
    """Non-blocking controls that did not pass: GO, with these warnings."""
    return [f"{c.id}: {c.outcome.value}: {c.message}" for c in controls
            if not c.blocking and c.outcome in BLOCKING_OUTCOMES]


def contradictions(result: Result) -> list[str]:
    """Where ``result`` disagrees with its own controls under the gate rule (empty: none)."""
    controls = result.controls
    found = [f"{c.id}: {why}" for c in controls for why in _control_contradictions(c)]
    recount = {o.value: sum(c.outcome is o for c in controls) for o in Outcome}
    if dict(result.counts) != recount:
        found.append(f"its counts {_counts(result.counts)} are not those of its controls "
                     f"({_counts(recount)})")
    rule = decide(controls)
    if result.decision != rule:
        blocking = [f"{c.id} {c.outcome.value}" for c in controls
                    if c.blocking and c.outcome in BLOCKING_OUTCOMES]
        found.append(f"it says {result.decision}, but its controls give {rule}"
                     + (f" (blocking: {', '.join(blocking[:10])})" if blocking else ""))
    if result.rollback != any(c.rollback for c in controls):
        found.append(f"its rollback flag is {str(result.rollback).lower()}, its controls' "
                     f"{str(not result.rollback).lower()}")
    applied = {(w.control, w.expires) for w in result.waivers.applied}
    stray = [c.id for c in controls if c.waiver is not None and c.outcome is Outcome.WAIVED
             and (c.waiver.control, c.waiver.expires) not in applied]
    found.extend(f"{cid}: its waiver is not among the applied waivers" for cid in stray)
    return found


def _control_contradictions(c: ControlResult) -> list[str]:
    """A control's outcome and rollback flag against its own fields."""
    found = []
    if c.outcome is Outcome.WAIVED and not c.waivable:
        found.append("waived, but it is not waivable")
    if c.outcome is Outcome.WAIVED and (c.waiver is None or c.waiver.status != "applied"):
        found.append("waived without an applied waiver")
    if c.waiver is not None and c.waiver.control != c.id:
        found.append(f"carries the waiver of {c.waiver.control}")
    emergency = c.authority == "crisis" and c.alert_level is AlertLevel.EMERGENCY
    if emergency and not c.rollback:
        found.append("an emergency alert on a crisis control without its rollback flag")
    if c.rollback and not emergency and c.outcome not in {Outcome.FAIL, Outcome.ERROR}:
        found.append(f"a rollback flag on a {c.outcome.value} outcome")
    return found


def _counts(counts: object) -> str:
    items = counts.items() if isinstance(counts, dict) else []
    return ", ".join(f"{n} {k}" for k, n in sorted(items) if n) or "none"
