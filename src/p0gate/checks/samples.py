"""Sample loading shared by statistic, exceedance and regression checks, and what their
reports draw: units, quantile points and the marked lines of a latency distribution."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from p0gate.evidence.latency import LatencySamples

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from p0gate.checks.base import CheckContext, Levels
    from p0gate.evidence.bundle import Artifact
    from p0gate.measures import Distribution, Marker, QuantilePoint
    from p0gate.outcome import Values


def load_samples(ctx: CheckContext, artifacts: list[Artifact], column: str | None, *,
                 baseline: bool = False) -> npt.NDArray[np.float64]:
    """The selected column of every artifact, concatenated (one array when one artifact)."""
    import numpy as np

    arrays = [ctx.read(a, LatencySamples, baseline=baseline).column(column) for a in artifacts]
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)


def reported_stat(ctx: CheckContext, artifacts: list[Artifact], endpoint: str | None,
                  stat: str) -> tuple[list[tuple[str, float | None]], str]:
    """A statistic a load-testing tool reported, per row of the endpoint (None where a row
    did not report it), with a note. One name may have several rows (``GET`` and ``POST``).

    Percentiles of several summaries cannot be combined, so exactly one artifact is read.
    """
    from p0gate.errors import EvidenceError
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
_SHARES = frozenset({"rate", "upper_bound", "confidence"})
_PREFIXES = ("alert_on_", "baseline_", "current_")


def sample_unit(key: str) -> str:
    """The unit of a value measured on latency samples (read in ms): a statistic (``p99.9``,
    ``max``, ``alert_on_p99``, ``baseline_p95``) is in ms, a count in samples, a share a
    fraction, a degradation in %."""
    from p0gate.checks.base import STAT_PATTERN
    from p0gate.measures import FRACTION

    name = key.split("@", 1)[0]
    if name in _SAMPLE_COUNTS:
        return "samples"
    if name in _SHARES:
        return FRACTION
    if name.endswith("degradation_percent"):
        return "%"
    for prefix in _PREFIXES:
        name = name.removeprefix(prefix)
    return "ms" if name == "threshold" or re.match(STAT_PATTERN, name) else ""


def quantile_points(values: npt.NDArray[np.float64]) -> list[QuantilePoint]:
    """The nearest-rank quantiles of ``values`` at ``PERCENTS`` (selection, no sort): the
    ends by one pass each, the median first and then the points between known ones, so each
    selection works on the narrowest slice."""
    from p0gate.checks.stats import statistic
    from p0gate.measures import PERCENTS, QuantilePoint
    from p0gate.outcome import fmt

    def name(percent: float) -> str:  # rank 1 is the minimum, rank n the maximum
        return "min" if percent == 0 else "max" if percent == 100 else f"p{fmt(percent)}"

    order = sorted(PERCENTS, key=lambda p: (p not in (0, 100), abs(p - 50) > 0, -(p < 50), p))
    found = {p: statistic(values, name(p)) for p in order}
    return [QuantilePoint(percent=p, value=found[p]) for p in PERCENTS]


def used_samples(ctx: CheckContext, column: str | None, *,
                 baseline: bool = False) -> npt.NDArray[np.float64] | None:
    """The samples a check already read (its selected latency-samples artifacts), or None
    when it read none (nothing selected, or a load summary)."""
    from p0gate.evidence import kinds_read_by
    from p0gate.evidence.latency import LatencyReader

    chosen = list({a.id: a for a in ctx.used if a.kind in kinds_read_by(LatencyReader)}.values())
    if not chosen or len(chosen) != len({a.id for a in ctx.used}):
        return None
    if baseline:
        found = [b for a in chosen if ctx.baseline and (b := ctx.baseline.find(a.id))]
        chosen = found if len(found) == len(chosen) else []
    values = load_samples(ctx, chosen, column, baseline=baseline) if chosen else None
    return values if values is not None and values.size else None


def distribution(values: npt.NDArray[np.float64], markers: list[Marker], *,
                 max_rate: float | None = None) -> Distribution:
    """The figure of a latency check: the samples' quantile points and its marked lines."""
    from p0gate.measures import Distribution

    unique = list(dict.fromkeys(markers))  # the classified statistic may be the judged one
    return Distribution(unit="ms", count=int(values.size), points=quantile_points(values),
                        markers=unique, max_rate=max_rate)


def alert_markers(alerts: Levels | None, measured: Values) -> list[Marker]:
    """An ``alert`` line per alert level, and the classified statistic as ``measured``."""
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
