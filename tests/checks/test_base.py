import pkgutil
from importlib import import_module

import pytest

import p0gate.checks as package
from p0gate.checks import CHECKS, check_type_name
from p0gate.checks.base import Alerts, CheckParams
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


def test_every_check_module_is_registered() -> None:
    names = {check_type_name(c) for c in CHECKS}
    assert len(names) == len(CHECKS)
    registered = set(CHECKS)
    for info in pkgutil.iter_modules(package.__path__):
        module = import_module(f"{package.__name__}.{info.name}")
        checks = [v for v in vars(module).values() if isinstance(v, type)
                  and issubclass(v, CheckParams) and v.__module__ == module.__name__
                  and "type" in v.model_fields and v.model_fields["type"].annotation is not str]
        for check in checks:
            assert check in registered, f"{check.__name__} of {module.__name__} is not in CHECKS"
