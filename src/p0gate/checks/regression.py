"""regression: a statistic has not degraded by more than a limit against the baseline bundle.

The same artifact id is read from ``--baseline``; degradation is the percentage change in the
bad direction (up for latencies, down with ``higher_is_better``). No baseline, or no such
artifact in it, is ``inconclusive``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from p0gate.checks.base import CheckParams, Levels, Stat, nothing_selected
from p0gate.checks.samples import load_samples
from p0gate.checks.stats import statistic
from p0gate.evidence import kinds_read_by
from p0gate.evidence.latency import LatencyReader
from p0gate.outcome import CheckResult, Outcome, Values, fmt

if TYPE_CHECKING:
    from p0gate.checks.base import CheckContext


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
