"""The findings check over real bandit SARIF."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from p0gate.checks.findings import FindingsCheck
from p0gate.outcome import Outcome
from tests.bundlekit import File, make_bundle, run_check
from tests.conftest import TEST_DATA

DATA = TEST_DATA / "sarif"


def check(**params: object) -> FindingsCheck:
    return FindingsCheck.model_validate({"type": "findings", **params})


def bundle_with(tmp_path: Path, *names: str):  # type: ignore[no-untyped-def]
    files = [
        File(f"scan-{i}", "sarif", f"{name}", (DATA / name).read_bytes())
        for i, name in enumerate(names)
    ]
    return make_bundle(tmp_path, files)


def test_errors_fail_and_are_listed(tmp_path: Path) -> None:
    found = run_check(check(), bundle_with(tmp_path, "bandit-vulnerable.sarif"))
    assert found.outcome is Outcome.FAIL
    assert found.measured["counted"] == 3 and found.measured["warning"] == 4
    assert "B602 at vulnerable/app.py:12" in found.message
    assert "B501" in found.message and "B324" in found.message


def test_warning_level_counts_results_without_level(tmp_path: Path) -> None:
    found = run_check(
        check(levels=["warning"], max_results=3), bundle_with(tmp_path, "bandit-vulnerable.sarif")
    )
    assert found.outcome is Outcome.FAIL and found.measured["counted"] == 4
    found = run_check(
        check(levels=["warning"], max_results=4),
        bundle_with(tmp_path / "b", "bandit-vulnerable.sarif"),
    )
    assert found.outcome is Outcome.PASS


def test_clean_scan_passes(tmp_path: Path) -> None:
    found = run_check(check(min_security_severity=9.0), bundle_with(tmp_path, "bandit-clean.sarif"))
    assert found.outcome is Outcome.PASS and found.measured["results"] == 0


def test_nothing_selected_is_inconclusive(tmp_path: Path) -> None:
    bundle = make_bundle(tmp_path, [File("doc", "document", "a.txt", b"x")])
    assert run_check(check(), bundle).outcome is Outcome.INCONCLUSIVE


def test_empty_runs_is_inconclusive(tmp_path: Path) -> None:
    bundle = make_bundle(
        tmp_path, [File("s", "sarif", "s.sarif", b'{"version": "2.1.0", "runs": []}')]
    )
    assert run_check(check(), bundle).outcome is Outcome.INCONCLUSIVE


def test_security_severity_threshold(tmp_path: Path) -> None:
    sarif = (
        b'{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Trivy","rules":[{"id":'
        b'"CVE-1","properties":{"security-severity":"9.1"}}]}},"results":[{"ruleId":'
        b'"CVE-1","level":"warning","message":{"text":"critical CVE"}}]}]}'
    )
    bundle = make_bundle(tmp_path, [File("s", "sarif", "s.sarif", sarif)])
    assert run_check(check(), bundle).outcome is Outcome.PASS
    found = run_check(check(levels=[], min_security_severity=9.0), bundle)
    assert found.outcome is Outcome.FAIL and "CVE-1 at (no location)" in found.message


def test_parameters_are_validated() -> None:
    with pytest.raises(ValidationError, match="nothing would count"):
        check(levels=[])
    with pytest.raises(ValidationError):
        check(levels=["fatal"])
    with pytest.raises(ValidationError, match="reads sarif"):
        check(kind="junit")


def test_codeql_critical_finding_in_an_extension_fails(tmp_path: Path) -> None:
    """The issue's case: CodeQL rules under tool.extensions, results without level."""
    found = run_check(check(min_security_severity=9.0),
                      bundle_with(tmp_path, "codeql-by-pack.sarif"))
    assert found.outcome is Outcome.FAIL and found.measured["counted"] == 3
    assert "py/command-line-injection at app/cli.py:12" in found.message


def test_a_scan_that_did_not_finish_is_an_error_listing_what_it_found(tmp_path: Path) -> None:
    found = run_check(check(), bundle_with(tmp_path, "eslint-failed.sarif"))
    assert found.outcome is Outcome.ERROR
    assert "did not complete" in found.message and "Parsing error" in found.message
    assert "no-eval at" in found.message  # what it did find is still shown


def _scan(tmp_path: Path, results: list[dict[str, object]]):  # type: ignore[no-untyped-def]
    import json

    doc = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "T"}}, "results": results}]}
    return make_bundle(tmp_path, [File("s", "sarif", "s.sarif", json.dumps(doc).encode())])


def test_accepted_suppressions_are_listed_not_counted(tmp_path: Path) -> None:
    results: list[dict[str, object]] = [
        {"ruleId": "A", "level": "error", "suppressions": [{"status": "accepted"}],
         "message": {"text": "waived in code review"}},
        {"ruleId": "B", "level": "error", "suppressions": [{"status": "underReview"}]},
    ]
    found = run_check(check(), _scan(tmp_path, results))
    assert found.outcome is Outcome.FAIL and found.measured["counted"] == 1
    assert found.measured["suppressed"] == 1
    assert "1 suppressed (accepted, not counted): A at" in found.message
    only_accepted = run_check(check(), _scan(tmp_path / "a", results[:1]))
    assert only_accepted.outcome is Outcome.PASS and "suppressed" in only_accepted.message


def test_results_marked_for_review_are_reported(tmp_path: Path) -> None:
    results: list[dict[str, object]] = [{"ruleId": "A", "kind": "review"},
                                        {"ruleId": "B", "kind": "pass"}]
    found = run_check(check(), _scan(tmp_path, results))
    assert found.outcome is Outcome.PASS
    assert "1 need review" in found.message and "B at" not in found.message


def test_baseline_state_is_shown(tmp_path: Path) -> None:
    found = run_check(check(), _scan(tmp_path, [{"ruleId": "A", "level": "error",
                                                 "baselineState": "new"}]))
    assert "A at (no location) (new)" in found.message
