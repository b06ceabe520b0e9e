"""Samples in memory: exact nearest ranks by selection, exact counts, values in ms."""

import math
from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from p0gate.evidence.histograms.model import rank
from p0gate.evidence.samples import OrderStats, SampleValues, as_ms, in_unit


def nearest(values: list[float], stat: str) -> float:
    return sorted(values)[rank(stat, len(values)) - 1]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=300),
       st.sampled_from(["p50", "p90", "p95", "p99", "p99.9", "p1", "p100", "p0", "min", "max"]))
def test_percentiles_are_the_decimal_nearest_rank(values: list[float], stat: str) -> None:
    d = SampleValues(np.array(values))
    found = d.at_rank(rank(stat, len(values)))
    assert found.exact and float(found.low) == nearest(values, stat)


def test_numpy_inverted_cdf_differs_where_floats_drift() -> None:
    """99.9% of 2,000 is 1998 in decimal; numpy computes 1998.0000000000002 and takes 1999."""
    values = np.arange(1, 2001, dtype=np.float64)
    assert rank("p99.9", 2000) == 1998
    assert float(SampleValues(values.copy()).at_rank(1998).low) == 1998.0
    assert np.percentile(values, 99.9, method="inverted_cdf") == 1999.0
    assert float(SampleValues(np.arange(1, 1001, dtype=np.float64)).at_rank(
        rank("p99.9", 1000)).low) == 999.0  # ceil(0.999 * 1000), no float drift


@given(st.lists(st.floats(0, 1e4, allow_nan=False), min_size=1, max_size=200),
       st.floats(0, 1e4, allow_nan=False), st.booleans())
def test_counts_are_exact(values: list[float], at: float, inclusive: bool) -> None:
    d = SampleValues(np.array(values))
    truth = sum(v <= at if inclusive else v < at for v in values)
    count = d.count_below(Decimal(repr(at)), inclusive=inclusive)
    assert count.exact and count.low == truth


def test_values_in_seconds_compare_as_their_decimals() -> None:
    d = SampleValues(np.array([0.2, 0.1999, 0.25]), unit="s")
    assert d.count_below(Decimal(200), inclusive=False).low == 1  # 0.2 s is not < 200 ms
    assert d.count_below(Decimal(200), inclusive=True).low == 2
    assert d.at_rank(3).low == Decimal("250.00") and d.mean().exact
    assert in_unit(Decimal(200), "s") == 0.2 and as_ms(0.2, "s") == Decimal(200)
    assert math.isclose(float(d.mean().low), (200 + 199.9 + 250) / 3)


def test_order_stats_partition_a_writable_array_in_place_and_copy_a_read_only_one() -> None:
    values = np.array([5.0, 1.0, 4.0, 2.0, 3.0])
    stats = OrderStats(values)
    assert (stats.at(0), stats.at(4), stats.at(2)) == (1.0, 5.0, 3.0)
    assert stats.work is values and sorted(values) == [1.0, 2.0, 3.0, 4.0, 5.0]
    frozen = np.array([3.0, 1.0, 2.0])
    frozen.flags.writeable = False
    assert OrderStats(frozen).at(1) == 2.0 and list(frozen) == [3.0, 1.0, 2.0]
