from pathlib import Path

from p0gate.checks.tests import TestsCheck
from p0gate.outcome import Outcome
from tests.bundlekit import File, make_bundle, run_check
from tests.conftest import TEST_DATA

PYTEST = (TEST_DATA / "junit" / "pytest.xml").read_bytes()


def run(tmp_path: Path, **kw: object):  # type: ignore[no-untyped-def]
    bundle = make_bundle(tmp_path, [File("suite", "junit", "junit.xml", PYTEST)])
    return run_check(TestsCheck.model_validate({"type": "tests", "artifact": "suite", **kw}),
                     bundle)


def test_selected_cases_pass(tmp_path: Path) -> None:
    result = run(tmp_path, select="*::test_988_*", min_cases=2)
    assert result.outcome is Outcome.PASS and result.measured["passed"] == 2


def test_a_failing_case_fails_with_its_name(tmp_path: Path) -> None:
    result = run(tmp_path, select="*offline*")
    assert result.outcome is Outcome.FAIL
    assert "test_offline_plan_cached (AssertionError: offline crisis plan" in result.message


def test_error_counts_as_not_passing(tmp_path: Path) -> None:
    assert run(tmp_path, select="*TestEmergencyContact*").outcome is Outcome.FAIL


def test_skipped_is_inconclusive_unless_allowed(tmp_path: Path) -> None:
    assert run(tmp_path / "a", select="*multi_device*").outcome is Outcome.INCONCLUSIVE
    allowed = run(tmp_path / "b", select="*multi_device*", allow_skipped=True)
    assert allowed.outcome is Outcome.INCONCLUSIVE  # skipped cases do not count to min_cases
    assert "0 passing cases" in allowed.message


def test_too_few_or_no_cases_is_inconclusive(tmp_path: Path) -> None:
    assert run(tmp_path / "a", select="*988*", min_cases=3).outcome is Outcome.INCONCLUSIVE
    assert run(tmp_path / "b", select="*nothing*").outcome is Outcome.INCONCLUSIVE


def test_broken_junit_raises_for_the_evaluator(tmp_path: Path) -> None:
    import pytest

    from p0gate.errors import EvidenceError

    bundle = make_bundle(tmp_path, [File("suite", "junit", "junit.xml", b"<testsuites><oops")])
    with pytest.raises(EvidenceError, match="not well-formed"):
        run_check(TestsCheck(type="tests", artifact="suite"), bundle)


def test_select_ignores_case_and_invisible_characters(tmp_path: Path) -> None:
    """A failing crisis test renamed `tesT_988_…` must still be selected by `*::test_988_*`."""
    xml = ('<testsuite name="s">'
           + "".join(f'<testcase classname="c" name="test_988_{i}"/>' for i in range(3))
           + '<testcase classname="c" name="tesT_988_\u200bsms"><failure/></testcase>'
           "</testsuite>").encode()
    bundle = make_bundle(tmp_path, [File("suite", "junit", "junit.xml", xml)])
    got = run_check(TestsCheck(type="tests", artifact="suite", select="*::test_988_*",
                               min_cases=3), bundle)
    assert got.outcome is Outcome.FAIL and "c::tesT_988_sms" in got.message
