"""Sample loading shared by statistic, exceedance and regression checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from p0gate.evidence.latency import LatencySamples

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from p0gate.context import CheckContext
    from p0gate.evidence.bundle import Artifact


def load_samples(ctx: CheckContext, artifacts: list[Artifact], column: str | None, *,
                 baseline: bool = False) -> npt.NDArray[np.float64]:
    """The selected column of every artifact, concatenated (one array when one artifact)."""
    import numpy as np

    arrays = [ctx.read(a, LatencySamples, baseline=baseline).column(column) for a in artifacts]
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)
