"""document: a non-empty document artifact is present and young enough."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from p0gate.checks.base import CheckParams, nothing_selected
from p0gate.checks.freshness import age_days
from p0gate.evidence import kinds_read_by
from p0gate.evidence.metrics import Document, DocumentReader
from p0gate.outcome import CheckResult, Outcome, Values, fmt

if TYPE_CHECKING:
    from p0gate.checks.base import CheckContext


class DocumentCheck(CheckParams):
    """A non-empty document artifact is present (and young enough, with max_age_days)."""

    type: Literal["document"]
    max_age_days: float | None = Field(None, gt=0, description="oldest allowed age in days")

    accepts: ClassVar[tuple[str, ...]] = kinds_read_by(DocumentReader)
    UNITS: ClassVar[dict[str, str]] = {
        "documents": "documents",
        "oldest_age_days": "days",
        "max_age_days": "days",
    }

    def run(self, ctx: CheckContext) -> CheckResult:
        required: Values = {"document": "present"}
        if self.max_age_days is not None:
            required["max_age_days"] = self.max_age_days
        artifacts = ctx.select(self)
        if not artifacts:
            return nothing_selected(self, required)
        problems: list[str] = []
        worst = 0.0
        for artifact in artifacts:
            if ctx.read(artifact, Document).size == 0:
                problems.append(f"{artifact.id} is empty")
            age = age_days(artifact, ctx.now)
            worst = max(worst, age)
            if self.max_age_days is not None and age > self.max_age_days:
                problems.append(f"{artifact.id} is {fmt(round(age, 1))} days old")
        measured: Values = {"documents": len(artifacts), "oldest_age_days": round(worst, 3)}
        if problems:
            return CheckResult(Outcome.FAIL, "; ".join(problems), measured, required)
        names = ", ".join(a.id for a in artifacts)
        return CheckResult(Outcome.PASS, f"present: {names}", measured, required)
