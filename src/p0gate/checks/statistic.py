"""statistic: a statistic of the samples (or of a histogram's events) satisfies a comparator.

On samples the value is exact. On a histogram a nearest-rank statistic is compared through
counts (``p99.9 < 200`` holds when the events ``< 200`` reach the rank): exact on a bucket
boundary, decided when the bucket holding the limit cannot change the answer, otherwise
``inconclusive`` naming the boundary to add; the value is reported as the bucket range.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal, cast

from pydantic import Field

from p0gate.checks.base import Alerts, Comparison, Stat, nothing_selected
from p0gate.checks.samples import (
    LatencyParams,
    alert_markers,
    ask_for,
    figure_of,
    latency,
    reported_stat,
    used_distribution,
)
from p0gate.evidence import kinds_read_by
from p0gate.evidence.dataset import LatencyReader
from p0gate.evidence.histograms.decide import alert_range, compare
from p0gate.evidence.histograms.reader import HistogramReader
from p0gate.evidence.load_summary import LoadSummaryReader
from p0gate.outcome import AlertLevel, CheckResult, Outcome, Values, fmt

if TYPE_CHECKING:
    from p0gate.checks.base import CheckContext
    from p0gate.evidence.bundle import Artifact
    from p0gate.evidence.dataset import Ask
    from p0gate.evidence.histograms.decide import Decision, Op
    from p0gate.evidence.histograms.model import Distribution, ValueRange
    from p0gate.measures import Figure

REPORTED = kinds_read_by(LoadSummaryReader)  # summaries of percentiles, not samples


def shown(value: ValueRange) -> float | str:
    """A value as measured: the number when exact, else the bucket range as text."""
    return float(value.low) if value.exact else value.text()


def noun(d: Distribution) -> str:
    from p0gate.evidence.histograms.model import Histogram

    return "events" if isinstance(d, Histogram) else "samples"


def alert(d: Distribution, alerts: Alerts, measured: Values) -> tuple[AlertLevel | None, str]:
    """The alert level of ``alerts.on``; when the buckets leave it open, the highest it may
    be (never the lower one), with a note saying so."""
    from p0gate.evidence.histograms.decide import value_of

    levels = [(name, limit) for name in ("emergency", "critical", "warning")
              if (limit := getattr(alerts, name)) is not None]
    found = alert_range(d, alerts.on, levels)
    measured[f"alert_on_{alerts.on}"] = shown(value_of(d, alerts.on))
    level = AlertLevel(found.highest) if found.highest else None
    if found.lowest == found.highest:
        return level, ""
    return level, (f"; alert level between {found.lowest or 'none'} and {found.highest}: "
                   f"{alerts.on} lies in {measured[f'alert_on_{alerts.on}']}")


class StatisticCheck(Comparison, LatencyParams):
    """The statistic (count, min, max, mean, pNN) of the samples satisfies the comparator."""

    type: Literal["statistic"]
    column: str | None = Field(None, description=(
        "sample column (default: the only numeric one); for a latency-histogram, the metric "
        "or HdrHistogram tag; for a load-summary, the endpoint (default: Aggregated)"))
    stat: Stat
    alerts: Alerts | None = Field(None, description="alert levels beside the outcome")

    accepts: ClassVar[tuple[str, ...]] = kinds_read_by(LatencyReader, HistogramReader,
                                                       LoadSummaryReader)

    def ask(self) -> Ask:
        """The statistics' exact values decide every comparison: no threshold counts."""
        return ask_for(stats=[self.stat, *([self.alerts.on] if self.alerts else [])])

    def run(self, ctx: CheckContext) -> CheckResult:
        required: Values = {self.stat: self.requirement()}
        artifacts = ctx.select(self)
        if not artifacts:
            return nothing_selected(self, required)
        if any(a.kind in REPORTED for a in artifacts):
            return self._reported(ctx, artifacts, required)
        d = latency(ctx, self, artifacts)
        if d.total == 0:
            where = f" where {self.where_text()}" if self.where else ""
            return CheckResult(Outcome.INCONCLUSIVE, f"no samples{where} in the selected "
                               "column", {"samples": 0}, required)
        op, limit = self.comparator
        decision = compare(d, self.stat, cast("Op", op), limit)
        measured: Values = {self.stat: shown(decision.value), noun(d): d.total}
        level, note = alert(d, self.alerts, measured) if self.alerts else (None, "")
        return CheckResult(_outcome(decision), self._message(d, decision, artifacts) + note,
                           measured, required, level)

    def _message(self, d: Distribution, decision: Decision, artifacts: list[Artifact]) -> str:
        value, where = decision.value, f" where {self.where_text()}" if self.where else ""
        over = f"over {d.total} {noun(d)}{where}"
        if decision.holds is None:
            assert decision.boundary is not None
            return (f"artifact {artifacts[0].id!r}: {self.stat} lies in {value.text()} {over}, "
                    f"a bucket that holds the limit {self.requirement()} ms: "
                    f"{d.advice(decision.boundary)}")
        verdict = "meets" if decision.holds else "misses"
        said = f"= {fmt(float(value.low))}" if value.exact else f"lies in {value.text()}"
        return f"{self.stat} {said} {over} {verdict} {self.requirement()}"

    def figure(self, ctx: CheckContext, found: CheckResult) -> Figure | None:
        """The distribution with the limit, the alert levels and the statistic (when the
        evidence gives it as one value)."""
        from p0gate.measures import Marker

        d = used_distribution(ctx, self)
        if d is None or self.stat == "count":
            return None
        limit = self.comparator[1]
        lines = [Marker(kind="limit", label=f"limit {self.stat} {self.requirement().split()[0]}",
                        value=limit)]
        measured = found.measured.get(self.stat)
        if isinstance(measured, int | float):
            lines.append(Marker(kind="measured", label=self.stat, value=float(measured)))
        return figure_of(d, [*lines, *alert_markers(self.alerts, found.measured)])

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


def _outcome(decision: Decision) -> Outcome:
    if decision.holds is None:
        return Outcome.INCONCLUSIVE
    return Outcome.PASS if decision.holds else Outcome.FAIL
