"""exceedance: the share of samples at or over a threshold stays under a maximum rate.

With ``confidence``, the one-sided Clopper–Pearson upper bound of that share must stay under
the rate too; when only the point estimate does, the outcome is ``inconclusive`` and the
message says how many samples would be needed if the observed rate held.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from p0gate.checks.base import Alerts, CheckParams, nothing_selected
from p0gate.checks.samples import (
    alert_markers,
    distribution,
    load_samples,
    sample_unit,
    used_samples,
)
from p0gate.checks.stats import statistic
from p0gate.evidence import kinds_read_by
from p0gate.evidence.latency import LatencyReader
from p0gate.measures import FRACTION, Bound
from p0gate.outcome import CheckResult, Outcome, Values, fmt

if TYPE_CHECKING:
    from p0gate.checks.base import CheckContext
    from p0gate.measures import Figure

MAX_SEARCH = 10**12


def upper_bound(bad: int, n: int, confidence: float) -> float:
    """One-sided Clopper–Pearson upper bound of a binomial proportion."""
    from scipy.special import betaincinv

    if bad >= n:
        return 1.0
    return float(betaincinv(bad + 1, n - bad, confidence))


def samples_needed(rate: float, max_rate: float, confidence: float) -> int | None:
    """Smallest sample count at which the observed rate would pass at ``confidence``."""
    if rate >= max_rate:
        return None
    if rate == 0:
        return math.ceil(math.log(1 - confidence) / math.log1p(-max_rate))
    lo, hi = 1, 2
    while upper_bound(round(rate * hi), hi, confidence) > max_rate:
        lo, hi = hi, hi * 2
        if hi > MAX_SEARCH:
            return None
    while lo < hi:
        mid = (lo + hi) // 2
        if upper_bound(round(rate * mid), mid, confidence) > max_rate:
            lo = mid + 1
        else:
            hi = mid
    return lo


class ExceedanceCheck(CheckParams):
    """At most ``max_rate`` of the samples are ``>= threshold``."""

    type: Literal["exceedance"]
    column: str | None = Field(None, description="sample column (default: the only numeric one)")
    threshold: float = Field(description="a sample at or over this value is a bad event")
    max_rate: float = Field(ge=0, le=1, description="highest allowed share of bad events")
    confidence: float | None = Field(None, gt=0, lt=1, description=(
        "optional: the Clopper–Pearson upper bound at this confidence must pass too"))
    alerts: Alerts | None = Field(None, description="alert levels beside the outcome")

    accepts: ClassVar[tuple[str, ...]] = kinds_read_by(LatencyReader)

    def run(self, ctx: CheckContext) -> CheckResult:
        required: Values = {"rate": f"<= {fmt(self.max_rate)}", "threshold": self.threshold}
        if self.confidence is not None:
            required["confidence"] = self.confidence
        artifacts = ctx.select(self)
        if not artifacts:
            return nothing_selected(self, required)
        values = load_samples(ctx, artifacts, self.column)
        n = int(values.size)
        if n == 0:
            return CheckResult(Outcome.INCONCLUSIVE, "no samples in the selected column",
                               {"samples": 0}, required)
        import numpy as np

        bad = int(np.count_nonzero(values >= self.threshold))
        rate = bad / n
        measured: Values = {"samples": n, "exceeding": bad, "rate": rate}
        alert = None
        if self.alerts:
            alert_value = statistic(values, self.alerts.on)
            measured[f"alert_on_{self.alerts.on}"] = alert_value
            alert = self.alerts.level(alert_value)
        outcome, message = self._judge(bad, n, rate, measured)
        return CheckResult(outcome, message, measured, required, alert)

    def unit_of(self, key: str) -> str:
        return sample_unit(key)

    def bounds(self, found: CheckResult) -> list[Bound]:
        return [Bound(key="rate", op="le", value=self.max_rate, unit=FRACTION)]

    def figure(self, ctx: CheckContext, found: CheckResult) -> Figure | None:
        """The samples' distribution with the threshold and the alert levels."""
        from p0gate.measures import Marker

        values = used_samples(ctx, self.column)
        if values is None:
            return None
        lines = [Marker(kind="threshold", label="threshold", value=self.threshold),
                 *alert_markers(self.alerts, found.measured)]
        return distribution(values, lines, max_rate=self.max_rate)

    def _judge(self, bad: int, n: int, rate: float, measured: Values) -> tuple[Outcome, str]:
        share = (f"{bad} of {n} samples ({fmt(rate * 100)}%) >= {fmt(self.threshold)}, "
                 f"allowed {fmt(self.max_rate * 100)}%")
        if rate > self.max_rate:
            return Outcome.FAIL, share
        if self.confidence is None:
            return Outcome.PASS, share
        upper = upper_bound(bad, n, self.confidence)
        measured["upper_bound"] = upper
        level = f"{fmt(self.confidence * 100)}% upper bound {fmt(upper * 100)}%"
        if upper <= self.max_rate:
            return Outcome.PASS, f"{share}; {level}"
        needed = samples_needed(rate, self.max_rate, self.confidence)
        more = (f"about {needed} samples would be needed at this rate" if needed
                else "no sample count would prove it at this rate")
        return Outcome.INCONCLUSIVE, f"{share}; but the {level} is over the limit: {more}"
