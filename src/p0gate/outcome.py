"""The vocabulary every layer speaks: outcomes, alert levels, decisions and what a check found.

This module imports nothing of p0gate, so the checks, the gate, the result and the formats
can all use these words without depending on one another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

Scalar = float | int | str
Values = dict[str, Scalar]

Severity = Literal["critical", "high", "medium", "low"]
NAME = r"^[a-z0-9][a-z0-9._-]*$"  # a gate, phase or artifact id, as a pack names it
NAME_WORDS = ("a name: lower-case letters, digits, dots, underscores and hyphens, starting with "
              "a letter or digit, such as crisis-latency (an artifact) or production-50 (a gate)")
ROLE = r"^[a-z][a-z0-9-]*$"  # a sign-off role or an authority id
ROLE_WORDS = ("a role: lower-case letters, digits and hyphens, starting with a letter, such as "
              "security-authority")
Verdict = Literal["approve", "reject"]  # of a sign-off


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"
    ERROR = "error"
    WAIVED = "waived"
    NOT_APPLICABLE = "not_applicable"


class AlertLevel(StrEnum):
    WARNING = "warning"
    CRITICAL = "critical"
    EMERGENCY = "emergency"


class Decision(StrEnum):
    """GO or NO-GO at a gate; OK or ROLLBACK in monitor mode."""

    GO = "GO"
    NO_GO = "NO-GO"
    OK = "OK"
    ROLLBACK = "ROLLBACK"


@dataclass(frozen=True)
class CheckResult:
    """What a check found. ``measured`` and ``required`` hold numbers and strings only."""

    outcome: Outcome
    message: str
    measured: Values = field(default_factory=dict)
    required: Values = field(default_factory=dict)
    alert_level: AlertLevel | None = None


def fmt(value: float) -> str:
    """A number as people write it: no trailing .0, at most 6 significant digits."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.6g}"
