import pytest

from p0gate.checks.base import Alerts
from p0gate.checks.metric import MetricCheck
from p0gate.outcome import AlertLevel


def test_alert_levels_are_strictly_above() -> None:
    alerts = Alerts(on="max", warning=50, critical=100, emergency=200)
    assert [alerts.level(v) for v in (50, 50.1, 100.5, 200, 201)] == [
        None, AlertLevel.WARNING, AlertLevel.CRITICAL, AlertLevel.CRITICAL, AlertLevel.EMERGENCY]


def test_comparators() -> None:
    check = MetricCheck(type="metric", artifact="m", path="a", ge=4.0)
    assert check.holds(4.0) and not check.holds(3.99) and check.requirement() == ">= 4"
    with pytest.raises(ValueError, match="finite"):
        MetricCheck(type="metric", artifact="m", path="a", lt=float("inf"))
