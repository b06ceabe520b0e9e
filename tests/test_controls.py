"""Controls: gates (phases: the old name), overrides per gate, rollback triggers."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from p0gate.checks.metric import MetricCheck
from p0gate.controls import Control


def control(**changes: object) -> Control:
    data: dict[str, object] = {
        "id": "US-1-X", "title": "t", "severity": "high", "blocking": True,
        "gates": ["staging", "production-25"],
        "check": {"type": "metric", "artifact": "m", "path": "a", "gt": 4.7},
        "overrides": {"staging": {"gt": 4.5}},
    }
    data.update(changes)
    return Control.model_validate(data)


def test_overrides_apply_to_their_gate_only() -> None:
    found = control()
    staging, production = found.check_for("staging"), found.check_for("production-25")
    assert isinstance(staging, MetricCheck) and isinstance(production, MetricCheck)
    assert (staging.gt, production.gt) == (4.5, 4.7)


def test_phases_is_the_old_name_and_a_scalar_is_one_gate() -> None:
    old = control(gates=None, phases="staging")
    assert old.gate_names == ["staging"] and old.phases == ["staging"]


@pytest.mark.parametrize(("changes", "words"), [
    ({"rollback_trigger": True, "waivable": True}, "never waivable"),
    ({"gates": None}, "exactly once"),
    ({"phases": ["staging"]}, "exactly once"),
    ({"overrides": {"complete": {"gt": 1}}}, "not in gates"),
    ({"overrides": {"staging": {"type": "count"}}}, "cannot change the check type"),
])
def test_inconsistent_controls_are_refused(changes: dict[str, object], words: str) -> None:
    with pytest.raises((ValidationError, ValueError), match=words):
        control(**changes)


def test_waivable_defaults_to_true_but_never_for_a_trigger() -> None:
    assert control().is_waivable and not control(waivable=False).is_waivable
    assert not control(rollback_trigger=True).is_waivable
    assert not control(rollback_trigger=True, waivable=False).is_waivable
