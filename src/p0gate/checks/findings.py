"""findings: SARIF results at the given levels (or security severities) stay under a limit."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field, model_validator

from p0gate.checks.base import CheckParams, nothing_selected
from p0gate.evidence import kinds_read_by
from p0gate.evidence.sarif import LEVELS, Finding, Level, SarifLog, SarifReader
from p0gate.outcome import CheckResult, Outcome, Values, fmt

if TYPE_CHECKING:
    from p0gate.checks.base import CheckContext

SHOWN = 5


def _default_levels() -> list[Level]:
    return ["error"]


class FindingsCheck(CheckParams):
    """At most ``max_results`` SARIF results at ``levels`` or ``security-severity >= min``."""

    type: Literal["findings"]
    levels: list[Level] = Field(
        default_factory=_default_levels,
        description=(
            "result levels that count (a result without level is a warning); default [error]"
        ),
    )
    min_security_severity: float | None = Field(
        None,
        ge=0,
        le=10,
        description=(
            "also count results whose rule's security-severity is at least this (CVSS 0-10; "
            "9.0 is critical)"
        ),
    )
    max_results: int = Field(0, ge=0, description="most counted results allowed (default 0)")

    accepts: ClassVar[tuple[str, ...]] = kinds_read_by(SarifReader)
    default_kind: ClassVar[str | None] = accepts[0]

    @model_validator(mode="after")
    def _counts_something(self) -> FindingsCheck:
        if not self.levels and self.min_security_severity is None:
            raise ValueError("give `levels` or `min_security_severity`: nothing would count")
        return self

    def run(self, ctx: CheckContext) -> CheckResult:
        required = self._required()
        artifacts = ctx.select(self)
        if not artifacts:
            return nothing_selected(self, required)
        logs = [ctx.read(a, SarifLog) for a in artifacts]
        if not any(log.runs for log in logs):
            return CheckResult(
                Outcome.INCONCLUSIVE, "the SARIF files hold no scanner run", {"runs": 0}, required
            )
        findings = [f for log in logs for f in log.findings]
        counted = [f for f in findings if self.counts(f)]
        measured: Values = {
            "results": len(findings),
            "counted": len(counted),
            **{lv: sum(f.level == lv for f in findings) for lv in LEVELS},
        }
        tools = ", ".join(sorted({t for log in logs for t in log.tools}))
        if len(counted) > self.max_results:
            return CheckResult(
                Outcome.FAIL,
                f"{len(counted)} {self._what()} from {tools} "
                f"(at most {self.max_results}): {_listing(counted)}",
                measured,
                required,
            )
        return CheckResult(
            Outcome.PASS,
            f"{len(counted)} {self._what()} among {len(findings)} results from {tools}",
            measured,
            required,
        )

    def counts(self, finding: Finding) -> bool:
        if finding.level in self.levels:
            return True
        limit = self.min_security_severity
        severity = finding.security_severity
        return limit is not None and severity is not None and severity >= limit

    def _what(self) -> str:
        parts = [f"level {'/'.join(self.levels)}"] if self.levels else []
        if self.min_security_severity is not None:
            parts.append(f"security-severity >= {fmt(self.min_security_severity)}")
        return "results at " + " or ".join(parts)

    def _required(self) -> Values:
        required: Values = {"levels": ",".join(self.levels), "max_results": self.max_results}
        if self.min_security_severity is not None:
            required["min_security_severity"] = self.min_security_severity
        return required


def _listing(findings: list[Finding]) -> str:
    shown = "; ".join(f"{f.rule_id} at {f.location}: {f.message}" for f in findings[:SHOWN])
    more = len(findings) - SHOWN
    return shown + (f"; and {more} more" if more > 0 else "")
