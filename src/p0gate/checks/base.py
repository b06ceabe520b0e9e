"""What every check shares: parameter models, selection, comparators, statistics, results.

A check is a frozen pydantic model of its parameters with one verb, ``run(ctx)``, that returns
a ``CheckResult``. It never prints and reads the clock only from ``ctx.now``. A check that
selects nothing is ``inconclusive``; an artifact that cannot be trusted raises
``EvidenceError`` and the evaluator turns it into ``error``.
"""

from __future__ import annotations

import bisect
import math
import weakref
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, ClassVar

from pydantic import Field, model_validator

from p0gate.model import ArtifactKind, Model

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np
    import numpy.typing as npt

    from p0gate.context import CheckContext

Scalar = float | int | str
Values = dict[str, Scalar]

STAT_PATTERN = r"^(count|min|max|mean|p(100|[0-9]{1,2}(\.[0-9]+)?))$"
Stat = Annotated[str, Field(pattern=STAT_PATTERN, description=(
    "count, min, max, mean, or pNN: a nearest-rank percentile such as p50, p95, p99.9"))]


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"
    ERROR = "error"
    WAIVED = "waived"
    NOT_APPLICABLE = "not_applicable"


class AlertLevel(StrEnum):
    WARNING = "warning"
    CRITICAL = "critical"
    EMERGENCY = "emergency"


@dataclass(frozen=True)
class CheckResult:
    """What a check found. ``measured`` and ``required`` hold numbers and strings only."""

    outcome: Outcome
    message: str
    measured: Values = field(default_factory=dict)
    required: Values = field(default_factory=dict)
    alert_level: AlertLevel | None = None


class Levels(Model):
    """Alert thresholds: a value above a level raises that level."""

    warning: float | None = Field(None, description="above this: warning")
    critical: float | None = Field(None, description="above this: critical")
    emergency: float | None = Field(None, description="above this: emergency")

    def level(self, value: float) -> AlertLevel | None:
        for name, limit in (("emergency", self.emergency), ("critical", self.critical),
                            ("warning", self.warning)):
            if limit is not None and value > limit:
                return AlertLevel(name)
        return None


class Alerts(Levels):
    """Alert thresholds on a statistic of the samples."""

    on: Stat = Field("max", description="the statistic that is classified (default max)")


class CheckParams(Model):
    """Base of every check: selects its input by artifact id or by kind."""

    type: str
    artifact: str | None = Field(None, description="the id of the one artifact to read")
    kind: ArtifactKind | None = Field(None, description="read every artifact of this kind")

    accepts: ClassVar[tuple[str, ...]] = ()
    default_kind: ClassVar[str | None] = None

    @model_validator(mode="after")
    def _one_selector(self) -> CheckParams:
        if self.artifact is not None and self.kind is not None:
            raise ValueError("give either `artifact` or `kind`, not both")
        if self.artifact is None and self.kind is None and self.default_kind is None:
            raise ValueError("select the input with `artifact: ID` or `kind: KIND`")
        if self.kind is not None and self.accepts and self.kind not in self.accepts:
            raise ValueError(f"a {self.type} check reads {', '.join(self.accepts)}, "
                             f"not {self.kind}")
        return self

    def run(self, ctx: CheckContext) -> CheckResult:  # pragma: no cover - abstract
        raise TypeError(f"check type {self.type!r} has no run()")

    def pack_problems(self, pack_dir: Path) -> list[str]:
        """Problems only visible with the pack at hand (a missing lexicon file, say)."""
        return []


_COMPARATORS: dict[str, tuple[str, object]] = {
    "lt": ("<", float.__lt__), "le": ("<=", float.__le__), "gt": (">", float.__gt__),
    "ge": (">=", float.__ge__), "eq": ("==", float.__eq__),
}


class Comparison(CheckParams):
    """Exactly one of ``lt``, ``le``, ``gt``, ``ge``, ``eq`` with a number."""

    lt: float | None = Field(None, description="passes when the value is below this")
    le: float | None = Field(None, description="passes when the value is at most this")
    gt: float | None = Field(None, description="passes when the value is above this")
    ge: float | None = Field(None, description="passes when the value is at least this")
    eq: float | None = Field(None, description="passes when the value equals this")

    @model_validator(mode="after")
    def _one_comparator(self) -> Comparison:
        given = [name for name in _COMPARATORS if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one comparator of lt, le, gt, ge, eq "
                             f"(found {', '.join(given) or 'none'})")
        bad = [name for name in given if not math.isfinite(getattr(self, name))]
        if bad:
            raise ValueError(f"comparator {bad[0]} must be a finite number")
        return self

    @property
    def comparator(self) -> tuple[str, float]:
        name = next(n for n in _COMPARATORS if getattr(self, n) is not None)
        return name, float(getattr(self, name))

    def requirement(self) -> str:
        name, limit = self.comparator
        return f"{_COMPARATORS[name][0]} {fmt(limit)}"

    def holds(self, value: float) -> bool:
        name, limit = self.comparator
        test = _COMPARATORS[name][1]
        return bool(test(float(value), limit))  # type: ignore[operator]


def fmt(value: float) -> str:
    """A number as people write it: no trailing .0, at most 6 significant digits."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.6g}"


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


def nothing_selected(params: CheckParams, required: Values | None = None) -> CheckResult:
    """A check that selected nothing is never a pass."""
    what = (f"artifact {params.artifact!r}" if params.artifact
            else f"artifact of kind {params.kind or params.default_kind!r}")
    return CheckResult(Outcome.INCONCLUSIVE, f"no {what} in the bundle",
                       required=required or {})
