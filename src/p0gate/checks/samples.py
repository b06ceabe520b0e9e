"""Sample loading shared by statistic, exceedance and regression checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from p0gate.evidence.latency import LatencySamples

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from p0gate.checks.base import CheckContext
    from p0gate.evidence.bundle import Artifact


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
