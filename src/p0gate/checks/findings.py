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
REVIEW_KINDS = ("open", "review")


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
    UNITS: ClassVar[dict[str, str]] = {
        "results": "results",
        "counted": "results",
        "suppressed": "results",
        "max_results": "results",
        "error": "results",
        "warning": "results",
        "note": "results",
        "none": "results",
        "min_security_severity": "CVSS",
    }
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
        return self._judge(logs, required)

    def _judge(self, logs: list[SarifLog], required: Values) -> CheckResult:
        findings = [f for log in logs for f in log.findings]
        counted = [f for f in findings if self.counts(f)]
        suppressed = [f for f in findings if f.suppressed and self.counts(f, suppressed=True)]
        measured: Values = {
            "results": len(findings),
            "counted": len(counted),
            **{lv: sum(f.level == lv for f in findings) for lv in LEVELS},
            "suppressed": len(suppressed),
        }
        tools = ", ".join(sorted({t for log in logs for t in log.tools}))
        notes = _notes(suppressed, [f for f in findings if f.kind in REVIEW_KINDS])
        failures = [why for log in logs for why in log.failures]
        if failures:
            found = f"; {len(counted)} {self._what()}" + (f": {_listing(counted)}" if counted
                                                         else "")
            return CheckResult(Outcome.ERROR, f"the scan did not complete, so its results "
                               f"prove nothing: {'; '.join(failures[:SHOWN])}{found}{notes}",
                               measured, required)
        if len(counted) > self.max_results:
            return CheckResult(
                Outcome.FAIL,
                f"{len(counted)} {self._what()} from {tools} "
                f"(at most {self.max_results}): {_listing(counted)}{notes}",
                measured,
                required,
            )
        return CheckResult(
            Outcome.PASS,
            f"{len(counted)} {self._what()} among {len(findings)} results from {tools}{notes}",
            measured,
            required,
        )

    def counts(self, finding: Finding, *, suppressed: bool = False) -> bool:
        """A failure (kind fail) at a counted level or security severity, not suppressed
        (with ``suppressed=True``: whether it would count but for its suppression)."""
        if finding.kind != "fail" or (finding.suppressed and not suppressed):
            return False
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
    shown = "; ".join(_describe(f) for f in findings[:SHOWN])
    more = len(findings) - SHOWN
    return shown + (f"; and {more} more" if more > 0 else "")


def _describe(finding: Finding) -> str:
    state = f" ({finding.baseline})" if finding.baseline else ""
    return f"{finding.rule_id} at {finding.location}{state}: {finding.message}"


def _notes(suppressed: list[Finding], review: list[Finding]) -> str:
    """Results that were not counted but must be seen: accepted suppressions, and results
    a tool marked for review (kind open or review)."""
    text = ""
    if suppressed:
        text += f"; {len(suppressed)} suppressed (accepted, not counted): {_listing(suppressed)}"
    if review:
        text += f"; {len(review)} need review (kind open/review, not counted): {_listing(review)}"
    return text
