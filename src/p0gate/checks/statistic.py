"""statistic: a statistic of the samples satisfies a comparator."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from p0gate.checks.base import (
    Alerts,
    CheckResult,
    Comparison,
    Outcome,
    Stat,
    Values,
    fmt,
    nothing_selected,
    statistic,
)
from p0gate.checks.samples import load_samples

if TYPE_CHECKING:
    from p0gate.context import CheckContext


class StatisticCheck(Comparison):
    """The statistic (count, min, max, mean, pNN) of the samples satisfies the comparator."""

    type: Literal["statistic"]
    column: str | None = Field(None, description="sample column (default: the only numeric one)")
    stat: Stat
    alerts: Alerts | None = Field(None, description="alert levels beside the outcome")

    accepts: ClassVar[tuple[str, ...]] = ("latency-samples",)
    summary: ClassVar[str] = "the statistic of the samples satisfies the comparator"

    def run(self, ctx: CheckContext) -> CheckResult:
        required: Values = {self.stat: self.requirement()}
        artifacts = ctx.select(self)
        if not artifacts:
            return nothing_selected(self, required)
        values = load_samples(ctx, artifacts, self.column)
        if values.size == 0:
            return CheckResult(Outcome.INCONCLUSIVE, "no samples in the selected column",
                               {"samples": 0}, required)
        value = statistic(values, self.stat)
        measured: Values = {self.stat: value, "samples": int(values.size)}
        alert = None
        if self.alerts:
            alert_value = statistic(values, self.alerts.on)
            measured[f"alert_on_{self.alerts.on}"] = alert_value
            alert = self.alerts.level(alert_value)
        ok = self.holds(value)
        verdict = "meets" if ok else "misses"
        message = (f"{self.stat} = {fmt(value)} over {values.size} samples {verdict} "
                   f"{self.requirement()}")
        return CheckResult(Outcome.PASS if ok else Outcome.FAIL, message, measured, required,
                           alert)
