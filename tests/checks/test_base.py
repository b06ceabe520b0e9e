import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from p0gate.checks import CHECKS, check_type_name
from p0gate.checks.base import AlertLevel, Alerts, fmt, statistic
from p0gate.checks.metric import MetricCheck


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


def test_alert_levels_are_strictly_above() -> None:
    alerts = Alerts(on="max", warning=50, critical=100, emergency=200)
    assert [alerts.level(v) for v in (50, 50.1, 100.5, 200, 201)] == [
        None, AlertLevel.WARNING, AlertLevel.CRITICAL, AlertLevel.CRITICAL, AlertLevel.EMERGENCY]


def test_comparators() -> None:
    check = MetricCheck(type="metric", artifact="m", path="a", ge=4.0)
    assert check.holds(4.0) and not check.holds(3.99) and check.requirement() == ">= 4"
    with pytest.raises(ValueError, match="finite"):
        MetricCheck(type="metric", artifact="m", path="a", lt=float("inf"))


def test_fmt() -> None:
    assert (fmt(200.0), fmt(0.001), fmt(99.95), fmt(1 / 3)) == ("200", "0.001", "99.95", "0.333333")


def test_every_check_module_is_registered() -> None:
    import pkgutil

    import p0gate.checks as package

    names = {check_type_name(c) for c in CHECKS}
    assert len(names) == len(CHECKS)
    modules = {m.name for m in pkgutil.iter_modules(package.__path__)} - {"base", "samples"}
    registered = {c.__module__.rsplit(".", 1)[1] for c in CHECKS}
    assert modules <= registered, f"unregistered check modules: {modules - registered}"
