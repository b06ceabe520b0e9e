"""Samples in memory as a distribution: every count and every rank is exact.

The values stay in the data's unit (the artifact's ``unit``); a threshold in ms is converted
to that unit exactly and then to the nearest float, and a value is reported in ms. So
``0.2`` seconds is below nothing at 200 ms and equals 200 ms, as the decimal says.

Percentiles are nearest-rank (``rank = ceil(q/100 · n)`` in decimal) by incremental
selection, in place: every statistic p0gate computes ignores the order of the samples, so a
writable array is partitioned (a read-only one is copied once) and each selected position is
remembered; the next percentile only partitions the slice between its two nearest known
positions. No full sort.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from p0gate.evidence.histograms.model import UNITS, Count, Cut, ValueRange

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SampleAnswers:
    """Exact answers over ``n`` samples (values in the data's unit)."""

    n: int
    below: dict[float, int]
    at_most: dict[float, int]
    ranks: dict[str, float]
    mean: float | None


class OrderStats:
    """Nearest-rank order statistics by incremental selection (see the module docstring)."""

    def __init__(self, values: Array) -> None:
        self.work = values if values.flags.writeable else values.copy()
        self.fixed = [-1, int(values.size)]

    def at(self, index: int) -> float:
        i = bisect.bisect_left(self.fixed, index)
        if self.fixed[i] != index:
            lo, hi = self.fixed[i - 1] + 1, self.fixed[i]
            self.work[lo:hi].partition(index - lo)
            self.fixed.insert(i, index)
        return float(self.work[index])


def in_unit(at_ms: Decimal, unit: str) -> float:
    """A limit in ms as the nearest float in ``unit``."""
    return float(at_ms / UNITS[unit])


def as_ms(value: float, unit: str) -> Decimal:
    """A value read in ``unit`` as exact ms (its shortest decimal form, scaled)."""
    return Decimal(repr(float(value))) * UNITS[unit]


class SampleValues:
    """An exact distribution over sample values held in memory."""

    def __init__(self, values: Array, unit: str = "ms") -> None:
        self.values = values
        self.unit = unit
        self._order: OrderStats | None = None
        self._counts: dict[tuple[float, bool], int] = {}

    @property
    def total(self) -> int:
        return int(self.values.size)

    def count_below(self, at: Decimal, *, inclusive: bool) -> Count:
        import numpy as np

        key = (in_unit(at, self.unit), inclusive)
        if key not in self._counts:
            test = self.values <= key[0] if inclusive else self.values < key[0]
            self._counts[key] = int(np.count_nonzero(test))
        count = self._counts[key]
        return Count(count, count)

    def at_rank(self, r: int) -> ValueRange:
        if self._order is None:
            self._order = OrderStats(self.values)
        value = as_ms(self._order.at(r - 1), self.unit)
        return ValueRange(value, value)

    def mean(self) -> ValueRange:
        import numpy as np

        value = as_ms(float(self.values.mean(dtype=np.float64)), self.unit)
        return ValueRange(value, value)

    def advice(self, cut: Cut) -> str:  # pragma: no cover - every count is exact
        return ""
