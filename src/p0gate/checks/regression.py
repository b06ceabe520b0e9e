"""regression: a statistic has not degraded by more than a limit against the baseline bundle.

The same artifact id is read from ``--baseline``; degradation is the percentage change in the
bad direction (up for latencies, down with ``higher_is_better``). No baseline, or no such
artifact in it, is ``inconclusive``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from p0gate.checks.base import CheckParams, Levels, Stat, nothing_selected
from p0gate.checks.samples import load_samples, quantile_points, sample_unit, used_samples
from p0gate.checks.stats import statistic
from p0gate.evidence import kinds_read_by
from p0gate.evidence.latency import LatencyReader
from p0gate.measures import Bound
from p0gate.outcome import CheckResult, Outcome, Values, fmt

if TYPE_CHECKING:
    from p0gate.checks.base import CheckContext
    from p0gate.measures import Figure


class RegressionCheck(CheckParams):
    """The statistic degraded by at most ``max_degradation_percent`` against the baseline."""

    type: Literal["regression"]
    column: str | None = Field(None, description="sample column (default: the only numeric one)")
    stat: Stat
    max_degradation_percent: float = Field(ge=0, description="largest allowed degradation, %")
    higher_is_better: bool = Field(False, description="true for throughput-like statistics")
    alerts: Levels | None = Field(None, description="alert levels on the degradation %")

    accepts: ClassVar[tuple[str, ...]] = kinds_read_by(LatencyReader)

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
        now_values = load_samples(ctx, artifacts, self.column)
        old_values = load_samples(ctx, before_arts, self.column, baseline=True)
        if now_values.size == 0 or old_values.size == 0:
            return CheckResult(Outcome.INCONCLUSIVE, "no samples to compare", required=required)
        return self._judge(statistic(old_values, self.stat), statistic(now_values, self.stat),
                           required)

    def unit_of(self, key: str) -> str:
        return sample_unit(key)

    def bounds(self, found: CheckResult) -> list[Bound]:
        return [Bound(key="degradation_percent", op="le", value=self.max_degradation_percent,
                      unit="%")]

    def figure(self, ctx: CheckContext, found: CheckResult) -> Figure | None:
        """Both distributions, and the statistic before and after."""
        from p0gate.measures import Regression

        before = found.measured.get(f"baseline_{self.stat}")
        after = found.measured.get(f"current_{self.stat}")
        now_values = used_samples(ctx, self.column)
        old_values = used_samples(ctx, self.column, baseline=True)
        if not isinstance(before, int | float) or not isinstance(after, int | float) \
                or now_values is None or old_values is None:
            return None
        return Regression(
            stat=self.stat, unit=sample_unit(self.stat), baseline=before, current=after,
            max_degradation_percent=self.max_degradation_percent,
            higher_is_better=self.higher_is_better, baseline_count=int(old_values.size),
            current_count=int(now_values.size), baseline_points=quantile_points(old_values),
            current_points=quantile_points(now_values))

    def _judge(self, before: float, after: float, required: Values) -> CheckResult:
        if before == 0:
            return CheckResult(Outcome.INCONCLUSIVE, f"baseline {self.stat} is 0: a percentage "
                               "change is undefined", {"baseline": before, "current": after},
                               required)
        change = (after - before) / abs(before) * 100
        degradation = -change if self.higher_is_better else change
        measured: Values = {f"baseline_{self.stat}": before, f"current_{self.stat}": after,
                            "degradation_percent": round(degradation, 4)}
        alert = self.alerts.level(degradation) if self.alerts else None
        ok = degradation <= self.max_degradation_percent
        word = "degraded" if degradation > 0 else "improved"
        limit = fmt(self.max_degradation_percent)
        message = (f"{self.stat} {fmt(before)} → {fmt(after)}: {word} by "
                   f"{fmt(abs(round(degradation, 2)))}% (limit {limit}%)")
        return CheckResult(Outcome.PASS if ok else Outcome.FAIL, message, measured, required,
                           alert)
