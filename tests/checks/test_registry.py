"""The check registry: one module per check type, one line per type in CHECKS."""

import pkgutil
from importlib import import_module

import p0gate.checks as package
from p0gate.checks import CHECKS, check_type_name
from p0gate.checks.base import CheckParams
from p0gate.checks.statistic import StatisticCheck


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


def test_check_type_names_come_from_the_type_literal() -> None:
    assert check_type_name(StatisticCheck) == "statistic"
    assert [check_type_name(c) for c in CHECKS][:3] == ["statistic", "exceedance", "metric"]
