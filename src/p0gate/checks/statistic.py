"""statistic: a statistic of the samples satisfies a comparator."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from p0gate.checks.base import Alerts, Comparison, Stat, nothing_selected
from p0gate.checks.samples import (
    alert_markers,
    distribution,
    load_samples,
    reported_stat,
    sample_unit,
    used_samples,
)
from p0gate.checks.stats import statistic
from p0gate.evidence import kinds_read_by
from p0gate.evidence.latency import LatencyReader
from p0gate.evidence.load_summary import LoadSummaryReader
from p0gate.outcome import AlertLevel, CheckResult, Outcome, Values, fmt

if TYPE_CHECKING:
    from p0gate.checks.base import CheckContext
    from p0gate.evidence.bundle import Artifact
    from p0gate.measures import Figure

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

    def unit_of(self, key: str) -> str:
        return sample_unit(key)

    def figure(self, ctx: CheckContext, found: CheckResult) -> Figure | None:
        """The samples' distribution with the limit, the alert levels and the statistic."""
        from p0gate.measures import Marker

        values = used_samples(ctx, self.column)
        measured = found.measured.get(self.stat)
        if values is None or not isinstance(measured, int | float) or self.stat == "count":
            return None
        limit = self.comparator[1]
        lines = [Marker(kind="limit", label=f"limit {self.stat} {self.requirement().split()[0]}",
                        value=limit),
                 Marker(kind="measured", label=self.stat, value=float(measured)),
                 *alert_markers(self.alerts, found.measured)]
        return distribution(values, lines)

    def _reported(self, ctx: CheckContext, artifacts: list[Artifact],
                  required: Values) -> CheckResult:
        """Judge a statistic the load-testing tool reported, on every row of the endpoint
        (each must hold); never interpolate a missing one."""
        rows, note = reported_stat(ctx, artifacts, self.column, self.stat)
        known = [(label, v) for label, v in rows if v is not None]
        unreported = [label for label, v in rows if v is None]
        named = len(rows) > 1
        misses = [f"{label + ': ' if named else ''}{self.stat} = {fmt(v)}"
                  for label, v in known if not self.holds(v)]
        measured: Values = {self.stat: self._worst([v for _, v in known])} if known else {}
        if named:
            measured.update({f"{self.stat}@{label}": v for label, v in known})
        alert = self._alert(ctx, artifacts, measured)
        if misses:
            return CheckResult(Outcome.FAIL, f"{'; '.join(misses)} misses {self.requirement()} "
                               f"({note})", measured, required, alert)
        if unreported:
            return CheckResult(Outcome.INCONCLUSIVE, f"{self.stat} was not reported for "
                               f"{', '.join(unreported)} ({note})", measured, required, alert)
        value = measured[self.stat]
        shown = f"at worst {fmt(float(value))}" if named else fmt(float(value))
        return CheckResult(Outcome.PASS, f"{self.stat} = {shown} meets {self.requirement()} "
                           f"({note})", measured, required, alert)

    def _worst(self, values: list[float]) -> float:
        """The value furthest toward failing the comparator."""
        name, limit = self.comparator
        if name in {"gt", "ge"}:
            return min(values)
        if name == "eq":
            return max(values, key=lambda v: abs(v - limit))
        return max(values)

    def _alert(self, ctx: CheckContext, artifacts: list[Artifact],
               measured: Values) -> AlertLevel | None:
        """The highest alert level over the endpoint's rows."""
        if not self.alerts:
            return None
        rows, _ = reported_stat(ctx, artifacts, self.column, self.alerts.on)
        values = [v for _, v in rows if v is not None]
        if not values:
            return None
        measured[f"alert_on_{self.alerts.on}"] = max(values)
        return self.alerts.level(max(values))
