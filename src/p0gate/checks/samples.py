"""Latency evidence for the statistic, exceedance and regression checks, and what the pack
asks of it.

``LatencyParams`` holds what those checks share: the ``column`` (for a histogram, the metric
or HdrHistogram tag), an optional ``where`` filter on other columns, and ``ask()``: the
thresholds and statistics the check will need. ``asks_of`` gathers them over the pack, so a
dataset answers every control in one go and ``p0gate collect`` fetches just that.
``latency`` turns the selected artifacts into one ``Distribution``: samples of several
artifacts are concatenated; a dataset or a histogram must be the only one selected.

What the reports draw comes from the same distribution (``figure_of``): samples and datasets
give the exact nearest-rank values at the fixed percent points of ``measures.PERCENTS``
(asked of a dataset in advance, ``with_figures``); a histogram gives what its buckets state
exactly, the share of events at or below each bucket boundary. Units of what the latency
checks measure: ``sample_unit``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from pydantic import Field

from p0gate.checks.base import CheckParams, Key
from p0gate.errors import EvidenceError
from p0gate.evidence.dataset import Ask
from p0gate.evidence.histograms.model import exact

if TYPE_CHECKING:
    from p0gate import measures
    from p0gate.checks.base import CheckContext, Levels
    from p0gate.evidence.bundle import Artifact
    from p0gate.evidence.histograms.model import Distribution, Histogram
    from p0gate.evidence.latency import Where
    from p0gate.outcome import CheckResult, Values

class LatencyParams(CheckParams):
    """What the latency checks share."""

    column: str | None = Field(None, description=(
        "sample column (default: the only numeric one); for a latency-histogram, the metric "
        "or HdrHistogram tag (default: the only one)"))
    where: dict[str, str | int | list[str | int]] = Field(default_factory=dict, description=(
        "keep only the samples whose columns hold these values (column: value or list), "
        "compared as count's `where` compares them; a missing column is an error, no "
        "matching sample is inconclusive"))

    def ask(self) -> Ask:  # pragma: no cover - every latency check defines it
        raise TypeError(f"check type {self.type!r} has no ask()")

    def folded_where(self) -> Where:
        from p0gate.textmatch import fold

        found = []
        for name, wanted in self.where.items():
            options = wanted if isinstance(wanted, list) else [wanted]
            found.append((name, tuple(sorted({fold(str(v)) for v in options}))))
        return tuple(sorted(found))

    def where_text(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.where.items())

    def unit_of(self, key: str) -> str:
        return sample_unit(key)

    def units_for(self, found: CheckResult) -> dict[str, str]:
        """A histogram counts events, samples count samples."""
        units = super().units_for(found)
        if "events" in found.measured:
            units = {k: "events" if u == "samples" else u for k, u in units.items()}
        return units


def ask_for(*, thresholds: Iterable[float] = (), stats: Iterable[str] = ()) -> Ask:
    """An ``Ask`` from thresholds as written (exact decimals, in ms) and statistics."""
    wanted = {s for s in stats if s != "count"}
    return Ask(tuple(sorted({exact(t) for t in thresholds})), tuple(sorted(wanted)))


def asks_of(checks: Iterable[CheckParams]) -> dict[Key, Ask]:
    """What the latency checks among ``checks`` need, by what they select."""
    found: dict[Key, Ask] = {}
    for check in checks:
        if isinstance(check, LatencyParams):
            key = (check.artifact or check.kind or "", check.column, check.folded_where())
            found[key] = found.get(key, Ask()) | check.ask()
    return found


def with_figures(asks: Mapping[Key, Ask]) -> dict[Key, Ask]:
    """``asks`` with the percent points a report draws added to each: a dataset answered by
    an engine then computes them in the same passes as the controls' own questions (each
    costs one more bin fetched, not one more scan). ``p0gate collect`` does not add them."""
    from p0gate.measures import PERCENTS

    figure = ask_for(stats=[_stat(p) for p in PERCENTS])
    return {key: ask | figure for key, ask in asks.items()}


def ask_of(asks: Mapping[Key, Ask], artifact: Artifact, column: str | None,
           where: Where) -> Ask:
    """Everything asked of ``artifact`` (by id or by kind) with that column and filter."""
    merged = Ask()
    for selector in (artifact.id, artifact.kind):
        merged = merged | asks.get((selector, column, where), Ask())
    return merged


def latency(ctx: CheckContext, params: LatencyParams, artifacts: list[Artifact], *,
            baseline: bool = False) -> Distribution:
    """The selected artifacts as one distribution (see the module docstring)."""
    from p0gate.evidence.dataset import LatencyDataset
    from p0gate.evidence.histograms.reader import Histograms

    where = params.folded_where()
    read = [ctx.read(a, object, baseline=baseline) for a in artifacts]
    single = [r for r in read if isinstance(r, Histograms | LatencyDataset)]
    if single and len(read) > 1:
        raise EvidenceError(f"{len(read)} artifacts selected, among them a histogram or a "
                            "dataset, which cannot be combined with others",
                            hint="select one with `artifact: ID`")
    if isinstance(read[0], Histograms):
        if where:
            raise EvidenceError(f"artifact {artifacts[0].id!r} is a histogram: it has no "
                                "columns for `where`", hint="collect the filtered series")
        return read[0].get(params.column)
    if isinstance(read[0], LatencyDataset):
        ask = ask_of(ctx.asks, artifacts[0], params.column, where) | params.ask()
        return read[0].distribution(params.column, where, ask)
    return _samples(read, params.column, where)


def _samples(read: list[object], column: str | None, where: Where) -> Distribution:
    import numpy as np

    from p0gate.evidence.latency import LatencySamples
    from p0gate.evidence.samples import SampleValues

    parts = [r.distribution(column, where) for r in read if isinstance(r, LatencySamples)]
    if len(parts) != len(read):
        raise EvidenceError("the selected artifacts are not latency samples")
    if len(parts) == 1:
        return parts[0]
    units = {p.unit for p in parts}
    if len(units) > 1:
        raise EvidenceError(f"the selected samples are in different units {sorted(units)}",
                            hint="select one artifact, or give them one unit")
    return SampleValues(np.concatenate([p.values for p in parts]), units.pop())


def reported_stat(ctx: CheckContext, artifacts: list[Artifact], endpoint: str | None,
                  stat: str) -> tuple[list[tuple[str, float | None]], str]:
    """A statistic a load-testing tool reported, per row of the endpoint (None where a row
    did not report it), with a note. One name may have several rows (``GET`` and ``POST``).

    Percentiles of several summaries cannot be combined, so exactly one artifact is read.
    """
    from p0gate.evidence.load_summary import AGGREGATED, LoadSummary

    if len(artifacts) != 1:
        raise EvidenceError(f"{len(artifacts)} load summaries selected: reported percentiles "
                            "cannot be combined; select one with `artifact: ID`")
    summary = ctx.read(artifacts[0], LoadSummary)
    rows = summary.endpoint(endpoint)
    name = endpoint or AGGREGATED
    if not rows:
        known = ", ".join(sorted(summary.endpoints))
        raise EvidenceError(f"artifact {artifacts[0].id!r}: no endpoint {name!r} in the "
                            f"{summary.tool} summary (endpoints: {known})")
    note = "; ".join(f"{summary.tool} {r.label}: {r.requests} requests, {r.failures} failed; "
                     f"reported percentiles {r.reported}" for r in rows)
    return [(r.label, r.stat(stat)) for r in rows], note


_SAMPLE_COUNTS = frozenset({"samples", "exceeding", "count"})
_SHARES = frozenset({"rate", "upper_bound", "upper_bound_at_most", "confidence"})
_PREFIXES = ("alert_on_", "baseline_", "current_")


def sample_unit(key: str) -> str:
    """The unit of a value measured on latency evidence (reported in ms): a statistic
    (``p99.9``, ``max``, ``alert_on_p99``, ``baseline_p95``) is in ms, a count in samples
    (``LatencyParams.units_for`` says events for a histogram), a share a fraction, a
    degradation in %."""
    from p0gate.checks.base import STAT_PATTERN
    from p0gate.measures import FRACTION

    name = key.split("@", 1)[0]
    if name in _SAMPLE_COUNTS or name == "events":
        return name if name == "events" else "samples"
    if name in _SHARES:
        return FRACTION
    if name.endswith("degradation_percent"):
        return "%"
    for prefix in _PREFIXES:
        name = name.removeprefix(prefix)
    return "ms" if name == "threshold" or re.match(STAT_PATTERN, name) else ""


def _stat(percent: float) -> str:
    """The statistic at a percent point: rank 1 is the minimum, rank n the maximum."""
    from p0gate.outcome import fmt

    return "min" if percent == 0 else "max" if percent == 100 else f"p{fmt(percent)}"


def figure_points(d: Distribution) -> tuple[list[measures.QuantilePoint], measures.Basis]:
    """The points a report draws of ``d`` (see the module docstring), and what they are."""
    from p0gate.evidence.histograms.model import Histogram, rank
    from p0gate.measures import PERCENTS, QuantilePoint

    if isinstance(d, Histogram):
        return bucket_points(d), "buckets"
    points = []
    for percent in PERCENTS:
        found = d.at_rank(rank(_stat(percent), d.total))
        points.append(QuantilePoint(percent=percent, value=float(found.low)))
    return points, "samples"


def bucket_points(h: Histogram) -> list[measures.QuantilePoint]:
    """The share of events at or below each finite bucket boundary where the share changes
    (the first boundary of a run of equal counts: the tightest statement of the run).
    Boundaries counting ``< t`` are used only when the histogram has no ``<= t`` ones."""
    from p0gate.measures import QuantilePoint

    inclusive = any(c.inclusive for c in h.cuts)
    pairs = [(c, n) for c, n in zip(h.cuts, h.below, strict=True)
             if c.inclusive == inclusive and c.at.is_finite() and c.at > 0]
    kept = [(c, n) for i, (c, n) in enumerate(pairs) if i == 0 or pairs[i - 1][1] != n]
    return [QuantilePoint(percent=min(100.0, n / h.total * 100), value=float(c.at))
            for c, n in kept]


def used_distribution(ctx: CheckContext, params: LatencyParams, *,
                      baseline: bool = False) -> Distribution | None:
    """The distribution a latency check judged, from the artifacts it selected (parsed once:
    the store and the readers keep what they computed), or None when it read none, a load
    summary, or nothing it could draw."""
    from p0gate.evidence import kinds_read_by
    from p0gate.evidence.dataset import LatencyReader
    from p0gate.evidence.histograms.reader import HistogramReader

    chosen = list({a.id: a for a in ctx.used}.values())
    drawable = kinds_read_by(LatencyReader, HistogramReader)
    if not chosen or any(a.kind not in drawable for a in chosen):
        return None
    if baseline:
        found = [b for a in chosen if ctx.baseline and (b := ctx.baseline.find(a.id))]
        chosen = found if len(found) == len(chosen) else []
    d = latency(ctx, params, chosen, baseline=baseline) if chosen else None
    return d if d is not None and d.total else None


def figure_of(d: Distribution, markers: list[measures.Marker], *,
              max_rate: float | None = None) -> measures.Distribution | None:
    """The figure of a latency check: the points of ``d`` with the check's marked lines."""
    from p0gate.measures import Distribution as Figure

    points, basis = figure_points(d)
    if not points:
        return None
    unique = list(dict.fromkeys(markers))  # the classified statistic may be the judged one
    return Figure(unit="ms", count=d.total, points=points, markers=unique,
                  max_rate=max_rate, basis=basis)


def alert_markers(alerts: Levels | None, measured: Values) -> list[measures.Marker]:
    """An ``alert`` line per alert level, and the classified statistic as ``measured`` when
    it is one value (a histogram may only place it within a bucket)."""
    from p0gate.measures import Marker

    if alerts is None:
        return []
    lines = [Marker(kind="alert", label=name, value=limit)
             for name in ("warning", "critical", "emergency")
             if (limit := getattr(alerts, name)) is not None]
    on = getattr(alerts, "on", None)
    seen = measured.get(f"alert_on_{on}")
    if on is not None and isinstance(seen, int | float):
        lines.append(Marker(kind="measured", label=str(on), value=float(seen)))
    return lines
