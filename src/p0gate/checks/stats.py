"""Statistics of samples: count, min, max, mean and exact nearest-rank percentiles."""

from __future__ import annotations

import bisect
import math
import weakref
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


def statistic(values: npt.NDArray[np.float64], stat: str) -> float:
    """count, min, max, mean or a nearest-rank percentile, by selection (no full sort)."""
    import numpy as np

    n = int(values.size)
    if stat == "count":
        return float(n)
    if stat == "min":
        return float(values.min())
    if stat == "max":
        return float(values.max())
    if stat == "mean":
        return float(values.mean(dtype=np.float64))
    rank = max(1, math.ceil(Decimal(stat[1:]) * n / 100))  # exact nearest rank
    return _order_stats(values).at(rank - 1)


class OrderStats:
    """Nearest-rank order statistics by incremental selection, in place.

    Every statistic p0gate computes on samples (count, min, max, mean, percentiles, shares
    over a threshold) ignores their order, so a writable sample array is partitioned in place
    (a read-only one is copied once). Every selected position is remembered, so the next
    percentile only partitions the slice between its two nearest known positions (p50, then
    p95 on the upper half, then p99 on the top 5%...). No full sort.
    """

    def __init__(self, values: npt.NDArray[np.float64]) -> None:
        self.work = values if values.flags.writeable else values.copy()
        self.fixed = [-1, int(values.size)]

    def at(self, index: int) -> float:
        i = bisect.bisect_left(self.fixed, index)
        if self.fixed[i] != index:
            lo, hi = self.fixed[i - 1] + 1, self.fixed[i]
            self.work[lo:hi].partition(index - lo)
            self.fixed.insert(i, index)
        return float(self.work[index])


_ORDER: dict[int, OrderStats] = {}


def _order_stats(values: npt.NDArray[np.float64]) -> OrderStats:
    """The order statistics of an array, kept as long as the array lives."""
    key = id(values)
    if key not in _ORDER:
        _ORDER[key] = OrderStats(values)
        weakref.finalize(values, _ORDER.pop, key, None)
    return _ORDER[key]
