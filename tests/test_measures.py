"""Typed measurements: bounds decide like the checks do, figures validate and round-trip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from p0gate.measures import PERCENTS, Bound, Distribution, Figure, QuantilePoint, Regression

FINITE = st.floats(allow_nan=False, allow_infinity=False, width=32)


@given(value=FINITE, limit=FINITE)
def test_a_bound_holds_as_its_comparator_reads(value: float, limit: float) -> None:
    for op, expected in (("lt", value < limit), ("le", value <= limit), ("gt", value > limit),
                         ("ge", value >= limit), ("eq", value == limit)):
        assert Bound(key="k", op=op, value=limit, unit="ms").holds(value) is expected


def test_symbols() -> None:
    assert Bound(key="rate", op="le", value=0.001, unit="fraction").symbol == "<="


def test_figures_are_told_apart_by_kind_and_round_trip() -> None:
    adapter: TypeAdapter[Figure] = TypeAdapter(Figure)
    points = [QuantilePoint(percent=p, value=float(i)) for i, p in enumerate(PERCENTS)]
    dist = Distribution(unit="ms", count=10, points=points)
    reg = Regression(stat="p95", unit="ms", baseline=1, current=2, max_degradation_percent=5,
                     baseline_count=3, current_count=4, baseline_points=points,
                     current_points=points)
    for figure in (dist, reg):
        assert adapter.validate_json(adapter.dump_json(figure)) == figure
    with pytest.raises(ValidationError):
        QuantilePoint(percent=101, value=1)
    with pytest.raises(ValidationError):
        Distribution(unit="ms", count=0, points=points)


def test_percent_points_are_sorted_and_reach_both_ends() -> None:
    assert list(PERCENTS) == sorted(PERCENTS)
    assert PERCENTS[0] == 0 and PERCENTS[-1] == 100 and 99.9 in PERCENTS
