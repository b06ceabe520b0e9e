"""Latency evidence for the statistic, exceedance and regression checks, and what the pack
asks of it.

``LatencyParams`` holds what those checks share: the ``column`` (for a histogram, the metric
or HdrHistogram tag), an optional ``where`` filter on other columns, and ``ask()``: the
thresholds and statistics the check will need. ``asks_of`` gathers them over the pack, so a
dataset answers every control in one go and ``p0gate collect`` fetches just that.
``latency`` turns the selected artifacts into one ``Distribution``: samples of several
artifacts are concatenated; a dataset or a histogram must be the only one selected.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from pydantic import Field

from p0gate.checks.base import CheckParams
from p0gate.errors import EvidenceError
from p0gate.evidence.dataset import Ask
from p0gate.evidence.histograms.model import exact

if TYPE_CHECKING:
    from p0gate.checks.base import CheckContext
    from p0gate.evidence.bundle import Artifact
    from p0gate.evidence.histograms.model import Distribution
    from p0gate.evidence.latency import Where

Key = tuple[str, "str | None", "Where"]  # (artifact id or kind, column, where)


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
