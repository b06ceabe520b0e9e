"""The accessibility check over real axe-core output (tests/data/axe, from Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest

from p0gate.checks.accessibility import AccessibilityCheck
from p0gate.outcome import CheckResult, Outcome
from tests.bundlekit import File, make_bundle, run_check
from tests.conftest import TEST_DATA

AXE = TEST_DATA / "axe"


def _run(tmp_path: Path, params: dict[str, object], *files: str) -> CheckResult:
    bundle = make_bundle(tmp_path, [File(name.removesuffix(".json"), "axe", name,
                                         (AXE / name).read_bytes()) for name in files])
    check = AccessibilityCheck.model_validate({"type": "accessibility", **params})
    return run_check(check, bundle)


def test_clean_screens_pass_and_incomplete_needs_review(tmp_path: Path) -> None:
    got = _run(tmp_path, {"min_screens": 3}, "clean.json")
    assert got.outcome is Outcome.PASS
    assert got.measured["screens"] == 3
    assert got.measured["violations"] == 0
    assert got.measured["needs_review"] == 1  # home.html: color-contrast of the nav links
    assert "color-contrast" in got.message and "manual review" in got.message


def test_flawed_screens_fail_naming_rule_impact_tags_nodes_and_help(tmp_path: Path) -> None:
    got = _run(tmp_path, {}, "flawed.json")
    assert got.outcome is Outcome.FAIL
    for rule in ("image-alt", "button-name", "label", "color-contrast", "select-name"):
        assert rule in got.message
    assert "image-alt (critical; " in got.message
    assert "wcag2a" in got.message
    assert "https://dequeuniversity.com/rules/axe/" in got.message
    assert "2 nodes on 2 screens" in got.message  # image-alt on crisis and home
    assert "region" not in got.message  # moderate best-practice rule is not counted


def test_moderate_best_practice_counts_when_selected(tmp_path: Path) -> None:
    got = _run(tmp_path, {"impacts": ["moderate"], "tags": ["best-practice"]}, "flawed.json")
    assert got.outcome is Outcome.FAIL
    assert got.measured["violations"] == 2  # landmark-one-main and region


def test_too_few_screens_is_inconclusive(tmp_path: Path) -> None:
    got = _run(tmp_path, {"min_screens": 2}, "crisis.json")
    assert got.outcome is Outcome.INCONCLUSIVE
    assert "1 screens scanned for the selected tags, at least 2 needed" in got.message


def test_nothing_selected_is_inconclusive(tmp_path: Path) -> None:
    got = _run(tmp_path, {"artifact": "missing"}, "clean.json")
    assert got.outcome is Outcome.INCONCLUSIVE


def test_unknown_impact_is_rejected() -> None:
    with pytest.raises(ValueError, match="impacts"):
        AccessibilityCheck.model_validate({"type": "accessibility", "impacts": ["high"]})


def _custom(tmp_path: Path, params: dict[str, object], *screens: dict[str, object]) -> CheckResult:
    import json

    bundle = make_bundle(tmp_path, [File("axe", "axe", "axe.json", json.dumps(list(screens))
                                          .encode())])
    check = AccessibilityCheck.model_validate({"type": "accessibility", **params})
    return run_check(check, bundle)


def _clean_screen() -> dict[str, object]:
    import json

    screen: dict[str, object] = json.loads((AXE / "clean.json").read_text())[0]
    return screen


def test_a_violation_without_impact_counts(tmp_path: Path) -> None:
    screen = {**_clean_screen(), "violations": [
        {"id": "mystery", "impact": None, "tags": ["wcag2a"], "nodes": [{"target": ["x"]}]}]}
    got = _custom(tmp_path, {}, screen)
    assert got.outcome is Outcome.FAIL and "mystery (no impact" in got.message


def test_tags_are_compared_folded(tmp_path: Path) -> None:
    screen = {**_clean_screen(), "violations": [
        {"id": "image-alt", "impact": "critical", "tags": ["WCAG2A\u00a0"],
         "nodes": [{"target": ["img"]}]}]}
    assert _custom(tmp_path, {"tags": ["wcag2a"]}, screen).outcome is Outcome.FAIL


def test_a_screen_that_ran_no_selected_rule_does_not_count(tmp_path: Path) -> None:
    """axe run with runOnly best-practice: zero WCAG violations prove nothing."""
    only_bp = {**_clean_screen(), "violations": [], "incomplete": [], "inapplicable": [],
               "passes": [{"id": "region", "impact": None, "tags": ["best-practice"],
                           "nodes": []}]}
    got = _custom(tmp_path, {"min_screens": 1}, only_bp)
    assert got.outcome is Outcome.INCONCLUSIVE
    assert "1 ran no rule tagged wcag2a" in got.message
