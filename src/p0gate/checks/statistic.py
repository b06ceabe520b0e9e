"""statistic: a statistic of the samples satisfies a comparator."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from p0gate.checks.base import Alerts, Comparison, Stat, nothing_selected
from p0gate.checks.samples import load_samples, reported_stat
from p0gate.checks.stats import statistic
from p0gate.evidence import kinds_read_by
from p0gate.evidence.latency import LatencyReader
from p0gate.evidence.load_summary import LoadSummaryReader
from p0gate.outcome import CheckResult, Outcome, Values, fmt

if TYPE_CHECKING:
    from p0gate.checks.base import CheckContext
    from p0gate.evidence.bundle import Artifact

REPORTED = kinds_read_by(LoadSummaryReader)  # summaries of percentiles, not samples


class StatisticCheck(Comparison):
    """The statistic (count, min, max, mean, pNN) of the samples satisfies the comparator."""

    type: Literal["statistic"]
    column: str | None = Field(None, description=(
        "sample column (default: the only numeric one); for a load-summary, the endpoint "
        "(default: Aggregated)"))
    stat: Stat
    alerts: Alerts | None = Field(None, description="alert levels beside the outcome")

    accepts: ClassVar[tuple[str, ...]] = kinds_read_by(LatencyReader, LoadSummaryReader)

    def run(self, ctx: CheckContext) -> CheckResult:
        required: Values = {self.stat: self.requirement()}
        artifacts = ctx.select(self)
        if not artifacts:
            return nothing_selected(self, required)
        if any(a.kind in REPORTED for a in artifacts):
            return self._reported(ctx, artifacts, required)
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

    def _reported(self, ctx: CheckContext, artifacts: list[Artifact],
                  required: Values) -> CheckResult:
        """Judge a statistic the load-testing tool reported; never interpolate a missing one."""
        value, note = reported_stat(ctx, artifacts, self.column, self.stat)
        if value is None:
            return CheckResult(Outcome.INCONCLUSIVE, f"{self.stat} was not reported ({note})",
                               required=required)
        measured: Values = {self.stat: value}
        alert = None
        if self.alerts:
            alert_value, _ = reported_stat(ctx, artifacts, self.column, self.alerts.on)
            if alert_value is not None:
                measured[f"alert_on_{self.alerts.on}"] = alert_value
                alert = self.alerts.level(alert_value)
        ok = self.holds(value)
        message = (f"{self.stat} = {fmt(value)} {'meets' if ok else 'misses'} "
                   f"{self.requirement()} ({note})")
        return CheckResult(Outcome.PASS if ok else Outcome.FAIL, message, measured, required,
                           alert)
