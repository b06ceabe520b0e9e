import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from p0gate.checks.stats import OrderStats, statistic


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=300),
       st.sampled_from(["p50", "p90", "p95", "p99", "p99.9", "p1", "p100", "p0"]))
def test_percentiles_are_numpy_inverted_cdf(values: list[float], stat: str) -> None:
    arr = np.array(values)
    expected = np.percentile(arr, float(stat[1:]), method="inverted_cdf")
    assert statistic(arr.copy(), stat) == expected


def test_exact_nearest_rank_at_p999_of_1000() -> None:
    arr = np.arange(1, 1001, dtype=np.float64)
    assert statistic(arr, "p99.9") == 999.0  # rank ceil(0.999 * 1000) = 999, no float drift
    assert statistic(arr, "count") == 1000 and statistic(arr, "mean") == 500.5


def test_order_stats_partition_a_writable_array_in_place_and_copy_a_read_only_one() -> None:
    values = np.array([5.0, 1.0, 4.0, 2.0, 3.0])
    stats = OrderStats(values)
    assert (stats.at(0), stats.at(4), stats.at(2)) == (1.0, 5.0, 3.0)
    assert stats.work is values and sorted(values) == [1.0, 2.0, 3.0, 4.0, 5.0]
    frozen = np.array([3.0, 1.0, 2.0])
    frozen.flags.writeable = False
    assert OrderStats(frozen).at(1) == 2.0 and list(frozen) == [3.0, 1.0, 2.0]
