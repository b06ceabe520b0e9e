"""The histogram model: exact counts on cuts, sound bounds between them, nearest ranks."""

import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from p0gate.evidence.histograms.model import (
    INF,
    Cut,
    Histogram,
    HistogramError,
    at_rank,
    build,
    count_below,
    exact,
    fmt_ms,
    mean,
    percentile,
    rank,
    to_ms,
)


def le_histogram(values: list[int], bounds: list[int]) -> Histogram:
    """A Prometheus-style histogram (inclusive cuts and +Inf) of whole-ms values."""
    return cut_histogram(values, [Cut(Decimal(b), True) for b in bounds])


def cut_histogram(values: list[int], cuts: list[Cut]) -> Histogram:
    """Exact counts of ``values`` at ``cuts`` (inclusive or not) and +Inf."""
    arr = np.asarray(values)
    counts = {c: int((arr <= c.at).sum() if c.inclusive else (arr < c.at).sum()) for c in cuts}
    counts[Cut(INF, True)] = len(values)
    return build(counts.items(), len(values))


def grain_histogram(values: list[int], width: int) -> Histogram:
    """An HdrHistogram-like one: buckets of ``width`` whole units, cuts at both edges."""
    arr = np.asarray(values)
    counts = {}
    for low in sorted({v // width * width for v in values}):
        high = low + width - 1
        counts[Cut(Decimal(low - 1), True)] = int((arr < low).sum())
        counts[Cut(Decimal(high), True)] = int((arr <= high).sum())
    return build(counts.items(), len(values), grain_ms=Decimal(1))


def true_rank_value(values: list[int], stat: str) -> float:
    """The exact nearest-rank value (a decimal rank: numpy's float q*n/100 drifts, e.g.
    99.9% of 2,000 is 1998.0000000000002 there, rank 1999)."""
    return float(sorted(values)[rank(stat, len(values)) - 1])


samples = st.lists(st.integers(0, 400), min_size=1, max_size=300)
bound_sets = st.lists(st.integers(0, 420), min_size=0, max_size=12)
stats = st.sampled_from(["min", "max", "p50", "p90", "p99", "p99.9", "p0.1", "p100"])


@given(samples, bound_sets, st.integers(-5, 430), st.booleans())
def test_count_bounds_hold_the_truth_and_are_exact_on_cuts(values: list[int], bounds: list[int],
                                                          at: int, inclusive: bool) -> None:
    h = le_histogram(values, bounds)
    arr = np.asarray(values)
    truth = int((arr <= at).sum() if inclusive else (arr < at).sum())
    count = count_below(h, Decimal(at), inclusive=inclusive)
    assert count.low <= truth <= count.high
    if inclusive and at in bounds:
        assert count.exact and count.low == truth


@given(samples, bound_sets, stats)
def test_percentile_range_holds_the_nearest_rank_value(values: list[int], bounds: list[int],
                                                      stat: str) -> None:
    h = le_histogram(values, bounds)
    found, truth = percentile(h, stat), true_rank_value(values, stat)
    assert found.low <= Decimal(truth) <= found.high
    if found.low == Decimal(truth):
        assert found.low_closed
    if found.high == Decimal(truth):
        assert found.high_closed


@given(samples, st.integers(1, 50), st.integers(-3, 420), st.booleans())
def test_a_grain_makes_strict_and_inclusive_questions_one(values: list[int], width: int,
                                                         at: int, inclusive: bool) -> None:
    h = grain_histogram(values, width)
    arr = np.asarray(values)
    truth = int((arr <= at).sum() if inclusive else (arr < at).sum())
    count = count_below(h, Decimal(at), inclusive=inclusive)
    assert count.low <= truth <= count.high
    if width == 1:  # every whole value is a bucket: every question is exact
        assert count.exact


@given(samples, bound_sets, stats)
def test_a_grain_range_holds_the_truth(values: list[int], bounds: list[int], stat: str) -> None:
    h = grain_histogram(values, 7)
    found = percentile(h, stat)
    assert found.low <= Decimal(true_rank_value(values, stat)) <= found.high


@settings(max_examples=50)
@given(samples, bound_sets)
def test_mean_bounds_hold_the_mean(values: list[int], bounds: list[int]) -> None:
    h = le_histogram(values, [*bounds, 400])
    found = mean(h)
    assert found.low <= Decimal(repr(float(np.mean(values)))) + Decimal("1e-9")
    assert Decimal(repr(float(np.mean(values)))) - Decimal("1e-9") <= found.high


def test_rank_is_the_exact_nearest_rank() -> None:
    assert rank("p99.9", 1000) == 999  # ceil(999.0), no float drift
    assert rank("p99.9", 10**12) == 999_000_000_000
    assert rank("p0.1", 3) == 1 and rank("p100", 7) == 7 and rank("min", 5) == 1
    assert rank("max", 5) == 5
    assert rank("p50", 3) == math.ceil(1.5)
    with pytest.raises(HistogramError):
        rank("mean", 3)


def test_units_convert_exactly() -> None:
    assert to_ms(Decimal("0.2"), "s") == 200
    assert to_ms(Decimal(199_999), "us") == Decimal("199.999")
    assert to_ms(Decimal(5), "ns") == Decimal("0.000005")
    assert exact(99.9) == Decimal("99.9") and exact(200) == 200
    with pytest.raises(HistogramError, match="unknown unit"):
        to_ms(Decimal(1), "min")


@pytest.mark.parametrize(("pairs", "total", "needle"), [
    ([(Cut(Decimal(1), True), 5), (Cut(Decimal(2), True), 3)], 5, "not cumulative"),
    ([(Cut(Decimal(1), True), 6)], 5, "outside 0..5"),
    ([(Cut(Decimal(-1), True), 1)], 5, "never negative"),
    ([(Cut(Decimal(0), False), 1)], 5, "never negative"),
    ([], -1, "negative total"),
])
def test_inconsistent_counts_are_refused(pairs: list[tuple[Cut, int]], total: int,
                                         needle: str) -> None:
    with pytest.raises(HistogramError, match=needle):
        build(pairs, total)


def test_ten_to_the_twelve_events_stay_exact() -> None:
    n = 10**12
    h = build([(Cut(Decimal(200), True), n - 10**9 + 1), (Cut(INF, True), n)], n)
    assert count_below(h, Decimal(200), inclusive=True).low == n - 10**9 + 1
    assert at_rank(h, rank("p99.9", n)).high == 200
    assert at_rank(h, n - 10**9 + 2).low == 200


def test_text_forms() -> None:
    assert fmt_ms(Decimal("200.000")) == "200" and fmt_ms(INF) == "+Inf"
    h = le_histogram([5, 150, 300], [100, 200])
    assert percentile(h, "p50").text() == "(100, 200] ms"
    assert percentile(h, "max").text() == "(200, +Inf) ms"
    assert Cut(Decimal(200), False).text() == "< 200 ms"


@pytest.mark.parametrize(("sum_ms", "needle"), [
    (-1.0, "not a sum of 10 latencies"), (float("nan"), "not a sum"),
    (float("inf"), "not a sum"), (100.0, "contradicts the buckets"),  # all 10 are > 200 ms
])
def test_a_sum_the_buckets_cannot_hold_is_refused(sum_ms: float, needle: str) -> None:
    with pytest.raises(HistogramError, match=needle):
        build([(Cut(Decimal(200), True), 0), (Cut(INF, True), 10)], 10, sum_ms=sum_ms)


def test_a_float_sum_a_hair_outside_the_buckets_is_held_to_them() -> None:
    """Ten events of exactly 0.1 s: their float sum may cross 1000 ms by rounding."""
    h = build([(Cut(Decimal(100), True), 10), (Cut(INF, True), 10)], 10,
              sum_ms=1000.0000001)
    assert h.mean().low == h.mean().high == Decimal(100)


@pytest.mark.parametrize(("points", "needle"), [
    ([(9, Decimal(150))], "contradicts the counts"),  # only 5 of 10 are <= 200 ms
    ([(2, Decimal(300))], "contradicts the counts"),  # 5 events are <= 200 ms
    ([(3, Decimal(50)), (4, Decimal(40))], "above a higher rank's value"),
    ([(11, Decimal(50))], "outside 1..10"), ([(3, Decimal(40)), (3, Decimal(50))], "two values"),
])
def test_exact_values_must_agree_with_the_counts(points: list[tuple[int, Decimal]],
                                                 needle: str) -> None:
    with pytest.raises(HistogramError, match=needle):
        build([(Cut(Decimal(200), True), 5), (Cut(INF, True), 10)], 10, points=points)
