"""freshness: every selected artifact was collected recently enough.

The age comes from the manifest's ``collected_at``, which is trusted only for an artifact whose
bytes verify (sealed, present, inside the bundle, unchanged): otherwise the control is an
``error``, as for any check whose reader meets such an artifact.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from p0gate.checks.base import CheckParams, nothing_selected
from p0gate.errors import EvidenceError
from p0gate.outcome import CheckResult, Outcome, Values, fmt

if TYPE_CHECKING:
    from p0gate.checks.base import CheckContext
    from p0gate.evidence.bundle import Artifact

CLOCK_SKEW = timedelta(minutes=5)


def age_days(artifact: Artifact, now: datetime) -> float:
    """Days since the artifact was collected; evidence from the future is an error."""
    age = now - artifact.collected_at
    if age < -CLOCK_SKEW:
        raise EvidenceError(f"artifact {artifact.id!r} claims to be collected at "
                            f"{artifact.collected_at.isoformat()}, after the evaluation time "
                            f"{now.isoformat()}")
    return max(age.total_seconds(), 0.0) / 86400


class FreshnessCheck(CheckParams):
    """Every selected artifact was collected at most ``max_age_days`` before now."""

    type: Literal["freshness"]
    max_age_days: float = Field(gt=0, description="oldest allowed age in days")

    def run(self, ctx: CheckContext) -> CheckResult:
        required: Values = {"max_age_days": self.max_age_days}
        artifacts = ctx.select(self)
        if not artifacts:
            return nothing_selected(self, required)
        ages = {a.id: age_days(ctx.verify(a), ctx.now) for a in artifacts}
        oldest = max(ages, key=lambda k: ages[k])
        measured: Values = {"oldest_age_days": round(ages[oldest], 3), "artifacts": len(ages)}
        stale = [k for k, v in ages.items() if v > self.max_age_days]
        if stale:
            return CheckResult(Outcome.FAIL, f"{len(stale)} artifacts older than "
                               f"{fmt(self.max_age_days)} days: {', '.join(stale)}",
                               measured, required)
        return CheckResult(Outcome.PASS, f"all {len(ages)} artifacts are at most "
                           f"{fmt(self.max_age_days)} days old", measured, required)

