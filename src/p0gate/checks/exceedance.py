"""exceedance: the share of samples at or over a threshold stays under a maximum rate.

With ``confidence``, the one-sided Clopper–Pearson upper bound of that share must stay under
the rate too; when only the point estimate does, the outcome is ``inconclusive`` and the
message says how many samples would be needed if the observed rate held. On a histogram the
events ``>= threshold`` are counted exactly when the threshold is a boundary (``< t``), else
within the bucket holding it: decided when both ends of that range give the same answer,
otherwise ``inconclusive`` naming the boundary to add.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from p0gate.checks.base import Alerts, nothing_selected
from p0gate.checks.samples import (
    LatencyParams,
    alert_markers,
    ask_for,
    figure_of,
    latency,
    used_distribution,
)
from p0gate.checks.statistic import alert, noun
from p0gate.evidence import kinds_read_by
from p0gate.evidence.dataset import LatencyReader
from p0gate.evidence.histograms.binomial import samples_needed
from p0gate.evidence.histograms.decide import exceedance
from p0gate.evidence.histograms.reader import HistogramReader
from p0gate.measures import FRACTION, Bound
from p0gate.outcome import CheckResult, Outcome, Values, fmt

if TYPE_CHECKING:
    from p0gate.checks.base import CheckContext
    from p0gate.evidence.bundle import Artifact
    from p0gate.evidence.dataset import Ask
    from p0gate.evidence.histograms.binomial import Bound as UpperBound
    from p0gate.evidence.histograms.decide import ExceedanceDecision
    from p0gate.evidence.histograms.model import Distribution
    from p0gate.measures import Figure


class ExceedanceCheck(LatencyParams):
    """At most ``max_rate`` of the samples are ``>= threshold``."""

    type: Literal["exceedance"]
    threshold: float = Field(description="a sample at or over this value is a bad event")
    max_rate: float = Field(ge=0, le=1, description="highest allowed share of bad events")
    confidence: float | None = Field(None, gt=0, lt=1, description=(
        "optional: the Clopper–Pearson upper bound at this confidence must pass too"))
    alerts: Alerts | None = Field(None, description="alert levels beside the outcome")

    accepts: ClassVar[tuple[str, ...]] = kinds_read_by(LatencyReader, HistogramReader)

    def ask(self) -> Ask:
        return ask_for(thresholds=[self.threshold],
                       stats=[self.alerts.on] if self.alerts else [])

    def run(self, ctx: CheckContext) -> CheckResult:
        required: Values = {"rate": f"<= {fmt(self.max_rate)}", "threshold": self.threshold}
        if self.confidence is not None:
            required["confidence"] = self.confidence
        artifacts = ctx.select(self)
        if not artifacts:
            return nothing_selected(self, required)
        d = latency(ctx, self, artifacts)
        if d.total == 0:
            where = f" where {self.where_text()}" if self.where else ""
            return CheckResult(Outcome.INCONCLUSIVE, f"no samples{where} in the selected "
                               "column", {"samples": 0}, required)
        found = exceedance(d, self.threshold, self.max_rate, self.confidence)
        measured = _measured(d, found)
        level, note = alert(d, self.alerts, measured) if self.alerts else (None, "")
        outcome, message = self._judge(d, found, measured, artifacts)
        return CheckResult(outcome, message + note, measured, required, level)

    def bounds(self, found: CheckResult) -> list[Bound]:
        return [Bound(key="rate", op="le", value=self.max_rate, unit=FRACTION)]

    def figure(self, ctx: CheckContext, found: CheckResult) -> Figure | None:
        """The distribution with the threshold and the alert levels."""
        from p0gate.measures import Marker

        d = used_distribution(ctx, self)
        if d is None:
            return None
        lines = [Marker(kind="threshold", label="threshold", value=self.threshold),
                 *alert_markers(self.alerts, found.measured)]
        return figure_of(d, lines, max_rate=self.max_rate)

    def _share(self, d: Distribution, found: ExceedanceDecision) -> str:
        bad, n = found.bad, found.total
        where = f" where {self.where_text()}" if self.where else ""
        count = f"{bad.low}" if bad.exact else f"between {bad.low} and {bad.high}"
        rate = (fmt(bad.low / n * 100) if bad.exact
                else f"{fmt(bad.low / n * 100)}..{fmt(bad.high / n * 100)}")
        return (f"{count} of {n} {noun(d)}{where} ({rate}%) >= {fmt(self.threshold)}, "
                f"allowed {fmt(self.max_rate * 100)}%")

    def _judge(self, d: Distribution, found: ExceedanceDecision, measured: Values,
               artifacts: list[Artifact]) -> tuple[Outcome, str]:
        share = self._share(d, found)
        if found.verdict is None:
            assert found.boundary is not None
            return Outcome.INCONCLUSIVE, (
                f"artifact {artifacts[0].id!r}: {share}: the bucket {_bucket(found)} holds the "
                f"threshold, so the share could pass or fail: {d.advice(found.boundary)}")
        if found.verdict == "fail":
            return Outcome.FAIL, share
        if self.confidence is None or found.upper is None:
            return Outcome.PASS, share
        upper = found.upper[1]
        assert upper is not None
        level = _level(self.confidence, upper)
        if found.verdict == "pass":
            return Outcome.PASS, f"{share}; {level}"
        needed = samples_needed(found.bad.high / found.total, self.max_rate, self.confidence)
        more = (f"about {needed} samples would be needed at this rate" if needed
                else "no sample count would prove it at this rate")
        return Outcome.INCONCLUSIVE, f"{share}; but the {level} is over the limit: {more}"


def _level(confidence: float, upper: UpperBound) -> str:
    said = "upper bound" if upper.exact else "upper bound at most"
    return f"{fmt(confidence * 100)}% {said} {fmt(upper.value * 100)}%"


def _bucket(found: ExceedanceDecision) -> str:
    from p0gate.evidence.histograms.model import fmt_ms

    low = fmt_ms(found.bad.before.at) if found.bad.before else "0"
    high = fmt_ms(found.bad.after.at) if found.bad.after else "+Inf"
    return f"from {low} to {high} ms"


def _measured(d: Distribution, found: ExceedanceDecision) -> Values:
    bad, n = found.bad, found.total
    measured: Values = {noun(d): n}
    if bad.exact:
        measured.update(exceeding=bad.low, rate=bad.low / n)
    else:
        measured.update(exceeding=f"{bad.low}..{bad.high}", rate=f"{bad.low / n:.6g}.."
                        f"{bad.high / n:.6g}")
    if found.upper is not None and found.upper[1] is not None:
        upper = found.upper[1]
        measured["upper_bound" if upper.exact else "upper_bound_at_most"] = upper.value
    return measured
