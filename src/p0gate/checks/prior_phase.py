"""prior-phase: an earlier gate of the same system was GO (a phase starts after the last)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from p0gate.checks.base import CheckParams, nothing_selected
from p0gate.evidence import kinds_read_by
from p0gate.evidence.prior_result import PriorResultReader
from p0gate.outcome import CheckResult, Decision, Outcome, Phase, Values

if TYPE_CHECKING:
    from p0gate.checks.base import CheckContext
    from p0gate.result import Result


class PriorPhaseCheck(CheckParams):
    """A prior-result artifact of the same system shows GO for ``phase``."""

    type: Literal["prior-phase"]
    phase: Phase = Field(description="the earlier gate that must have been GO, e.g. beta")

    accepts: ClassVar[tuple[str, ...]] = kinds_read_by(PriorResultReader)
    UNITS: ClassVar[dict[str, str]] = {"results": "results"}
    default_kind: ClassVar[str | None] = accepts[0]

    def run(self, ctx: CheckContext) -> CheckResult:
        from p0gate.result import Result

        required: Values = {"phase": self.phase, "decision": Decision.GO.value}
        artifacts = ctx.select(self)
        if not artifacts:
            return nothing_selected(self, required)
        reasons = []
        for artifact in artifacts:
            why = self._why_not(ctx.read(artifact, Result), ctx)
            if why is None:
                return CheckResult(
                    Outcome.PASS,
                    f"{artifact.id}: the {self.phase} gate was GO",
                    {"phase": self.phase, "decision": Decision.GO.value},
                    required,
                )
            reasons.append(f"{artifact.id} {why}")
        return CheckResult(
            Outcome.FAIL,
            f"no GO for the {self.phase} gate: " + "; ".join(reasons),
            {"results": len(artifacts)},
            required,
        )

    def _why_not(self, result: Result, ctx: CheckContext) -> str | None:
        system = result.bundle.metadata.get("system")
        if system != ctx.bundle.metadata.system:
            return f"is about {system}, not {ctx.bundle.metadata.system}"
        if result.phase != self.phase:
            return f"decides the {result.phase} gate"
        if result.evaluated_at > ctx.now.isoformat().replace("+00:00", "Z"):
            return f"was evaluated after the evaluation time ({result.evaluated_at})"
        if result.decision is not Decision.GO:
            return f"is {result.decision} ({result.counts.get('fail', 0)} failing controls)"
        return None
