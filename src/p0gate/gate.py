"""The decision rules. At a gate: NO-GO when a rollback trigger fired (whatever the waivers),
when any applicable blocking control is not a pass or a waiver, or when the gate's ``after:``
is not met; otherwise GO. In monitor mode: ROLLBACK when a trigger fired, otherwise OK."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from p0gate.outcome import AlertLevel, Decision, Outcome

if TYPE_CHECKING:
    from p0gate.result import ControlResult

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
