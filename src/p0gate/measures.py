"""Typed measurements beside a control's outcome: units, bounds and the figures reports draw.

A check reports what it measured as ``measured``/``required`` (numbers and strings, the
result's stable shape). What a report needs to draw and label those numbers without parsing
them back out of strings lives here, typed: the unit of every value, each numeric bound the
check held a value to, and a compact summary of a latency distribution (nearest-rank
quantile points) with the lines that matter marked on it. Everything is deterministic: the
same samples give the same numbers.

This module imports nothing of p0gate.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Op = Literal["lt", "le", "gt", "ge", "eq"]
SYMBOLS: dict[str, str] = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "=="}
# The percent points of a distribution summary: dense in the tail, where gates decide, few in
# the body (each body point is one more selection over millions of samples).
PERCENTS: tuple[float, ...] = (0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100)
FRACTION = "fraction"  # the unit of a share between 0 and 1; reports show it as a percentage


class Measure(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Bound(Measure):
    """A requirement on one measured value: ``key op value``, in ``unit``."""

    key: str = Field(description="the measured key this bounds, e.g. p99.9, rate")
    op: Op
    value: float
    unit: str

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.op]

    def holds(self, measured: float) -> bool:
        return {"lt": measured < self.value, "le": measured <= self.value,
                "gt": measured > self.value, "ge": measured >= self.value,
                "eq": measured == self.value}[self.op]


class QuantilePoint(Measure):
    """``percent`` % of the samples are at or below ``value`` (nearest rank)."""

    percent: float = Field(ge=0, le=100)
    value: float


class Marker(Measure):
    """A line drawn across a distribution: a limit, an alert level, a measured statistic."""

    kind: Literal["threshold", "limit", "alert", "measured"]
    label: str = Field(description="what the line is, e.g. warning, p99.9")
    value: float


Basis = Literal["samples", "buckets"]


class Distribution(Measure):
    """A latency distribution as quantile points, with the lines its check drew on it."""

    kind: Literal["distribution"] = "distribution"
    unit: str
    count: int = Field(ge=1, description="samples (or a histogram's events) summarised")
    basis: Basis = Field("samples", description=(
        "samples: exact nearest-rank values at fixed percent points; buckets: the share of "
        "a histogram's events at or below each bucket boundary (exact at the boundaries)"))
    points: list[QuantilePoint]
    markers: list[Marker] = Field(default_factory=list)
    max_rate: float | None = Field(None, description=(
        "exceedance: the share of samples allowed at or over the threshold"))


class Regression(Measure):
    """A statistic of the baseline against the current evidence, with both distributions."""

    kind: Literal["regression"] = "regression"
    stat: str
    unit: str
    baseline: float
    current: float
    max_degradation_percent: float
    higher_is_better: bool = False
    baseline_count: int = Field(ge=1, description="baseline samples summarised")
    current_count: int = Field(ge=1, description="current samples summarised")
    basis: Basis = Field("samples", description="what both curves' points are (Distribution)")
    baseline_points: list[QuantilePoint]
    current_points: list[QuantilePoint]


Figure = Annotated[Distribution | Regression, Field(discriminator="kind")]
