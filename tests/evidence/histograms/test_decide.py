"""Decisions on histograms: right whenever decided, undecided only when the bucket could
change the answer, and adding a boundary never flips a decided answer."""

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from p0gate.evidence.histograms.binomial import upper_bound
from p0gate.evidence.histograms.decide import (
    Op,
    alert_range,
    compare,
    degradation,
    exceedance,
    judge_rate,
)
from p0gate.evidence.histograms.model import Cut, HistogramError, build
from tests.evidence.histograms.test_model import (
    cut_histogram,
    grain_histogram,
    le_histogram,
    true_rank_value,
)

OPS: dict[str, object] = {"lt": np.less, "le": np.less_equal, "gt": np.greater,
                          "ge": np.greater_equal, "eq": np.equal}
samples = st.lists(st.integers(0, 400), min_size=1, max_size=200)
bound_sets = st.lists(st.integers(0, 420), max_size=10)
stats = st.sampled_from(["min", "max", "p50", "p95", "p99.9", "p0.1", "p100", "count"])
ops = st.sampled_from(["lt", "le", "gt", "ge", "eq"])


def truth(values: list[int], stat: str, op: str, limit: int) -> bool:
    value = len(values) if stat == "count" else true_rank_value(values, stat)
    return bool(OPS[op](value, limit))  # type: ignore[operator]


@given(samples, bound_sets, stats, ops, st.integers(0, 420))
def test_a_decided_comparison_is_right(values: list[int], bounds: list[int], stat: str,
                                       op: Op, limit: int) -> None:
    decision = compare(le_histogram(values, bounds), stat, op, limit)
    if decision.holds is not None:
        assert decision.holds == truth(values, stat, op, limit)
    else:
        assert decision.boundary is not None and decision.boundary.at == limit


@given(samples, bound_sets, stats, ops, st.integers(0, 420))
def test_adding_the_named_boundary_decides(values: list[int], bounds: list[int], stat: str,
                                           op: Op, limit: int) -> None:
    cuts = [Cut(Decimal(b), True) for b in bounds]
    before = compare(cut_histogram(values, cuts), stat, op, limit)
    if before.boundary is None:
        return
    finer = compare(cut_histogram(values, [*cuts, before.boundary]), stat, op, limit)
    if op == "eq":  # eq may need both cuts: < limit and <= limit
        finer = compare(cut_histogram(values, [*cuts, Cut(Decimal(limit), True),
                                               Cut(Decimal(limit), False)]), stat, op, limit)
    assert finer.holds == truth(values, stat, op, limit)


@given(samples, stats, ops, st.integers(0, 420))
def test_a_grain_of_one_decides_everything(values: list[int], stat: str, op: Op,
                                           limit: int) -> None:
    decision = compare(grain_histogram(values, 1), stat, op, limit)
    assert decision.holds == truth(values, stat, op, limit)


@given(samples, bound_sets, st.integers(0, 420), st.sampled_from([0.0, 0.01, 0.1, 0.5]),
       st.sampled_from([None, 0.9, 0.95]))
def test_exceedance_matches_the_exact_count_when_decided(
        values: list[int], bounds: list[int], threshold: int, max_rate: float,
        confidence: float | None) -> None:
    found = exceedance(le_histogram(values, bounds), threshold, max_rate, confidence)
    bad = int((np.asarray(values) >= threshold).sum())
    assert found.bad.low <= bad <= found.bad.high
    if found.verdict is not None:
        assert found.verdict == judge_rate(bad, len(values), max_rate, confidence)[0]
    else:
        assert found.boundary == Cut(Decimal(threshold), False)


def test_exceedance_on_a_boundary_of_whole_values() -> None:
    values = [10] * 990 + [250] * 10
    h = le_histogram(values, [199, 200, 300])  # 199 makes "< 200" a cut for whole ms
    found = exceedance(h, 200, 0.01, None)
    assert found.bad.low == found.bad.high == 10 and found.verdict == "pass"
    assert exceedance(h, 200, 0.009).verdict == "fail"
    short = exceedance(h, 200, 0.011, 0.95)
    assert short.verdict == "short" and short.upper is not None and short.upper[0] is not None
    assert short.upper[0].exact and short.upper[0].value == upper_bound(10, 1000, 0.95)


def test_the_guides_p999_under_200ms_at_ten_to_the_twelve() -> None:
    from p0gate.evidence.histograms.model import INF, Cut

    n = 10**12
    below = n - n // 1000  # exactly the nearest rank of p99.9 below 200 ms
    h = build([(Cut(Decimal(200), False), below), (Cut(Decimal(200), True), below),
               (Cut(INF, True), n)], n)
    assert compare(h, "p99.9", "lt", 200).holds is True
    h2 = build([(Cut(Decimal(200), False), below - 1), (Cut(INF, True), n)], n)
    assert compare(h2, "p99.9", "lt", 200).holds is False


def test_mean_uses_the_sum_when_given_and_bounds_otherwise() -> None:
    h = le_histogram([10, 20, 30], [15, 25, 35])
    assert compare(h, "mean", "le", 35).holds is True
    assert compare(h, "mean", "lt", 20).holds is None
    from dataclasses import replace

    assert compare(replace(h, sum_ms=60.0), "mean", "eq", 20).holds is True


def test_alert_range_and_degradation() -> None:
    h = le_histogram([10] * 98 + [150, 300], [50, 100, 200])
    levels = [("emergency", 200), ("critical", 100), ("warning", 50)]
    assert alert_range(h, "max", levels).lowest == "emergency"
    undecided = alert_range(le_histogram([10, 150], [100]), "max", levels)
    assert undecided.lowest == "critical" and undecided.highest == "emergency"
    from p0gate.evidence.histograms.model import ValueRange

    span = degradation(ValueRange(Decimal(100), Decimal(100)),
                       ValueRange(Decimal(105), Decimal(110)))
    assert span == (5.0, 10.0)
    assert degradation(ValueRange(Decimal(0), Decimal(10)), ValueRange(Decimal(1), Decimal(1))) \
        is None
    assert degradation(ValueRange(Decimal(100), Decimal(100)),
                       ValueRange(Decimal(90), Decimal(90)), higher_is_better=True) == (10.0, 10.0)


def test_no_events_is_an_error_not_a_pass() -> None:
    empty = build([], 0)
    with pytest.raises(HistogramError, match="no events"):
        compare(empty, "p99", "lt", 200)
    with pytest.raises(HistogramError, match="no events"):
        exceedance(empty, 200, 0.1)


@given(samples, bound_sets, bound_sets, stats, ops, st.integers(0, 420))
def test_more_boundaries_never_flip_a_decided_answer(values: list[int], bounds: list[int],
                                                      extra: list[int], stat: str, op: Op,
                                                      limit: int) -> None:
    coarse = compare(le_histogram(values, bounds), stat, op, limit)
    fine = compare(le_histogram(values, bounds + extra), stat, op, limit)
    if coarse.holds is not None:
        assert fine.holds == coarse.holds
    assert fine.value.low >= coarse.value.low and fine.value.high <= coarse.value.high


@given(samples, bound_sets, st.sampled_from(["s", "us"]), stats, ops, st.integers(0, 420))
def test_the_unit_does_not_change_a_decision(values: list[int], bounds: list[int], unit: str,
                                             stat: str, op: Op, limit: int) -> None:
    """The same events with bounds written in another unit decide the same way."""
    from p0gate.evidence.histograms.model import UNITS, to_ms

    scale = 1 / UNITS[unit]
    h = le_histogram(values, bounds)
    rescaled = build(((Cut(to_ms(c.at * scale, unit), c.inclusive), n)
                      for c, n in zip(h.cuts, h.below, strict=True)), h.total)
    assert compare(rescaled, stat, op, limit).holds == compare(h, stat, op, limit).holds
