"""prior-phase: an earlier gate was GO for the same system and version.

The decisions come from the evaluation's ``History``: rows of the decision ledger and signed
prior reports whose signature chains to the trust store (the runner builds it; an unsigned
result JSON proves nothing and is only noted). Nothing found is ``inconclusive``; a NO-GO,
or a rollback of the release since the GO, is ``fail``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field, model_validator

from p0gate.checks.base import CheckParams
from p0gate.checks.trust import TRUST_FILE
from p0gate.evidence import kinds_read_by
from p0gate.evidence.prior_result import PriorResultReader
from p0gate.outcome import NAME, CheckResult, Outcome, Values

if TYPE_CHECKING:
    from p0gate.checks.base import CheckContext
    from p0gate.checks.pack_files import PackFolder


class PriorPhaseCheck(CheckParams):
    """The ledger, or a verified prior result, shows GO at ``gate`` for this release."""

    type: Literal["prior-phase"]
    gate: str | None = Field(None, pattern=NAME, description=(
        "the earlier gate that must have been GO, e.g. beta"))
    phase: str | None = Field(None, pattern=NAME, description="deprecated: the old name of gate")

    accepts: ClassVar[tuple[str, ...]] = kinds_read_by(PriorResultReader)
    UNITS: ClassVar[dict[str, str]] = {"results": "results"}
    default_kind: ClassVar[str | None] = accepts[0]

    @model_validator(mode="after")
    def _one_gate(self) -> PriorPhaseCheck:
        if (self.gate is None) == (self.phase is None):
            raise ValueError("name the earlier gate once, in `gate:`")
        return self

    @property
    def earlier(self) -> str:
        return str(self.gate or self.phase)

    def gates(self) -> list[str]:
        return [self.earlier]

    def pack_problems(self, pack: PackFolder) -> list[str]:
        """Loads the trust store when there is one: signed prior reports are checked with it."""
        if (pack.trust_dir / TRUST_FILE).is_file():
            pack.trust()
        return []

    def run(self, ctx: CheckContext) -> CheckResult:
        required: Values = {"gate": self.earlier, "decision": "GO"}
        ctx.select(self)  # the prior results the history was built from, listed as evidence
        if ctx.history is None:
            return CheckResult(Outcome.INCONCLUSIVE, "no decision ledger or prior result was "
                               "consulted", required=required)
        meta = ctx.bundle.metadata
        found = ctx.history.passed(system=meta.system, version=meta.version,
                                   gate=self.earlier, now=ctx.now)
        if found.met and found.decision is not None:
            measured: Values = {"gate": self.earlier, "decision": "GO",
                                "source": found.decision.source}
            return CheckResult(Outcome.PASS, found.message, measured, required)
        outcome = Outcome.FAIL if found.decision is not None else Outcome.INCONCLUSIVE
        return CheckResult(outcome, found.message, {"gate": self.earlier}, required)
