"""regression: a statistic has not degraded by more than a limit against the baseline bundle.

The same artifact id is read from ``--baseline``; degradation is the percentage change in the
bad direction (up for latencies, down with ``higher_is_better``). No baseline, or no such
artifact in it, is ``inconclusive``. On histograms each statistic is a bucket range, so the
degradation is a range too: decided when the whole range is on one side of the limit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from p0gate.checks.base import Levels, Stat, nothing_selected
from p0gate.checks.samples import (
    LatencyParams,
    ask_for,
    figure_points,
    latency,
    sample_unit,
    used_distribution,
)
from p0gate.checks.statistic import shown
from p0gate.evidence import kinds_read_by
from p0gate.evidence.dataset import LatencyReader
from p0gate.evidence.histograms.decide import degradation, value_of
from p0gate.evidence.histograms.reader import HistogramReader
from p0gate.measures import Bound
from p0gate.outcome import CheckResult, Outcome, Values, fmt

if TYPE_CHECKING:
    from p0gate.checks.base import CheckContext
    from p0gate.evidence.bundle import Artifact
    from p0gate.evidence.dataset import Ask
    from p0gate.evidence.histograms.model import ValueRange
    from p0gate.measures import Figure


class RegressionCheck(LatencyParams):
    """The statistic degraded by at most ``max_degradation_percent`` against the baseline."""

    type: Literal["regression"]
    stat: Stat
    max_degradation_percent: float = Field(ge=0, description="largest allowed degradation, %")
    higher_is_better: bool = Field(False, description="true for throughput-like statistics")
    alerts: Levels | None = Field(None, description="alert levels on the degradation %")

    accepts: ClassVar[tuple[str, ...]] = kinds_read_by(LatencyReader, HistogramReader)

    def ask(self) -> Ask:
        return ask_for(stats=[self.stat])

    def run(self, ctx: CheckContext) -> CheckResult:
        required: Values = {"max_degradation_percent": self.max_degradation_percent}
        artifacts = ctx.select(self)
        if not artifacts:
            return nothing_selected(self, required)
        if ctx.baseline is None:
            return CheckResult(Outcome.INCONCLUSIVE, "no baseline bundle given (--baseline)",
                               required=required)
        before_arts = [b for a in artifacts if (b := ctx.baseline.find(a.id)) is not None]
        if len(before_arts) != len(artifacts):
            return CheckResult(Outcome.INCONCLUSIVE, "the baseline lacks artifact "
                               + ", ".join(a.id for a in artifacts if not ctx.baseline.find(a.id)),
                               required=required)
        now = latency(ctx, self, artifacts)
        old = latency(ctx, self, before_arts, baseline=True)
        if now.total == 0 or old.total == 0:
            return CheckResult(Outcome.INCONCLUSIVE, "no samples to compare", required=required)
        return self._judge(value_of(old, self.stat), value_of(now, self.stat), required,
                           artifacts)

    def bounds(self, found: CheckResult) -> list[Bound]:
        return [Bound(key="degradation_percent", op="le", value=self.max_degradation_percent,
                      unit="%")]

    def figure(self, ctx: CheckContext, found: CheckResult) -> Figure | None:
        """Both distributions, and the statistic before and after. Drawn when both values
        are exact: a statistic a histogram only places within a bucket has no line to draw,
        and when the two curves are of different kinds (samples, buckets)."""
        from p0gate.measures import Regression

        before = found.measured.get(f"baseline_{self.stat}")
        after = found.measured.get(f"current_{self.stat}")
        now = used_distribution(ctx, self)
        old = used_distribution(ctx, self, baseline=True)
        if not isinstance(before, int | float) or not isinstance(after, int | float) \
                or now is None or old is None:
            return None
        (old_points, old_basis), (now_points, now_basis) = figure_points(old), figure_points(now)
        if old_basis != now_basis or not old_points or not now_points:
            return None
        return Regression(
            stat=self.stat, unit=sample_unit(self.stat), baseline=before, current=after,
            max_degradation_percent=self.max_degradation_percent,
            higher_is_better=self.higher_is_better, baseline_count=old.total,
            current_count=now.total, baseline_points=old_points, current_points=now_points,
            basis=now_basis)

    def _judge(self, before: ValueRange, after: ValueRange, required: Values,
               artifacts: list[Artifact]) -> CheckResult:
        span = degradation(before, after, self.higher_is_better)
        if span is None:
            said = "is 0" if before.exact else f"lies in {before.text()}, which reaches 0"
            return CheckResult(Outcome.INCONCLUSIVE, f"baseline {self.stat} {said}: a percentage "
                               "change is undefined", {"baseline": shown(before),
                                                       "current": shown(after)}, required)
        low, high = span
        measured: Values = {f"baseline_{self.stat}": shown(before),
                            f"current_{self.stat}": shown(after)}
        measured["degradation_percent"] = (round(high, 4) if low == high
                                           else f"{fmt(round(low, 4))}..{fmt(round(high, 4))}")
        alert = self.alerts.level(high) if self.alerts else None
        limit = fmt(self.max_degradation_percent)
        change = f"{self.stat} {_said(before)} → {_said(after)}"
        if low != high and low <= self.max_degradation_percent < high:
            return CheckResult(Outcome.INCONCLUSIVE, (
                f"artifact {artifacts[0].id!r}: {change}: degraded by between {fmt(round(low, 2))}"
                f"% and {fmt(round(high, 2))}% (limit {limit}%): the buckets holding {self.stat} "
                "are too wide to tell; add bucket boundaries inside those ranges"),
                measured, required, alert)
        ok = high <= self.max_degradation_percent
        word = "degraded" if high > 0 else "improved"
        amount = fmt(abs(round(high, 2))) if low == high else \
            f"{fmt(round(low, 2))}..{fmt(round(high, 2))}"
        return CheckResult(Outcome.PASS if ok else Outcome.FAIL,
                           f"{change}: {word} by {amount}% (limit {limit}%)", measured, required,
                           alert)


def _said(value: ValueRange) -> str:
    return fmt(float(value.low)) if value.exact else value.text()
