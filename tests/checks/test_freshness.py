from pathlib import Path

import pytest

from p0gate.checks.freshness import FreshnessCheck
from p0gate.errors import EvidenceError
from p0gate.outcome import Outcome
from tests.bundlekit import aged_bundle, run_check


def test_freshness_pass_fail(tmp_path: Path) -> None:
    bundle = aged_bundle(tmp_path, {"a": 1, "b": 10})
    fresh = FreshnessCheck(type="freshness", kind="document", max_age_days=14)
    assert run_check(fresh, bundle).outcome is Outcome.PASS
    stale = FreshnessCheck(type="freshness", kind="document", max_age_days=7)
    result = run_check(stale, bundle)
    assert result.outcome is Outcome.FAIL and "b" in result.message
    assert result.measured["oldest_age_days"] == 10


def test_future_evidence_is_an_error(tmp_path: Path) -> None:
    bundle = aged_bundle(tmp_path, {"a": -2})
    with pytest.raises(EvidenceError, match="after the evaluation time"):
        run_check(FreshnessCheck(type="freshness", artifact="a", max_age_days=7), bundle)


def test_nothing_selected(tmp_path: Path) -> None:
    bundle = aged_bundle(tmp_path, {"a": 1})
    check = FreshnessCheck(type="freshness", kind="sarif", max_age_days=7)
    assert run_check(check, bundle).outcome is Outcome.INCONCLUSIVE
