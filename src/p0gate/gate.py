"""The decision rule: NO-GO when any applicable blocking control is not a pass or waiver."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from p0gate.outcome import AlertLevel, Decision, Outcome

if TYPE_CHECKING:
    from p0gate.result import ControlResult

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
