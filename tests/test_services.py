"""tests/services.py: a missing service skips locally and fails with CI=true; so does any skip.

Each case runs pytest on a small test file with the plugin (pytester, in process), once as a
developer would and once as CI does.
"""

from __future__ import annotations

import pytest

CASES = '''
import pytest

@pytest.fixture
def needs_setup():
    pytest.skip("fixture gave up")

@pytest.mark.postgres
def test_postgres():
    pass

@pytest.mark.poppler
def test_poppler():
    pass

def test_skip_in_body():
    pytest.skip("no thing")

def test_skip_in_fixture(needs_setup):
    pass

@pytest.mark.skipif(True, reason="by condition")
def test_skipif():
    pass

@pytest.mark.ci_may_skip(reason="a documented, harmless skip")
def test_allowed():
    pytest.skip("allowed skip")

@pytest.mark.xfail(reason="known", strict=True)
def test_xfail():
    assert False

def test_plain():
    pass
'''


@pytest.fixture
def cases(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    pytester.makepyfile(test_cases=CASES)
    monkeypatch.delenv("P0GATE_TEST_POSTGRES_URL", raising=False)
    monkeypatch.setenv("PATH", str(pytester.path / "no-tools"))  # no pdfsig, no pdftoppm
    return pytester


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest("-p", "tests.services", "-p", "no:cacheprovider", "-p", "no:locust",
                              "-p", "no:hypothesispytest", "-rA", *args)


def test_without_ci_missing_services_and_skips_are_skipped(
    cases: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    result = _run(cases)
    result.assert_outcomes(passed=1, skipped=6, xfailed=1)
    result.stdout.fnmatch_lines(["*needs a PostgreSQL server: P0GATE_TEST_POSTGRES_URL*",
                                 "*needs pdfsig and pdftoppm*"], consecutive=False)


@pytest.mark.parametrize("value", ["true", "TRUE", "1"])
def test_with_ci_every_skip_fails_the_run(
    value: str, cases: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", value)
    result = _run(cases)
    # services and skipif are checked before the test and its fixtures run: setup errors
    result.assert_outcomes(passed=1, failed=1, errors=4, skipped=1, xfailed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    out = result.stdout.str()
    assert "CI=true and this test needs a PostgreSQL server" in out
    assert "CI=true and this test needs pdfsig and pdftoppm" in out
    for reason in ("no thing", "fixture gave up", "by condition"):
        assert f"was skipped with CI=true ({reason})" in out


def test_with_ci_present_services_run(
    cases: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("P0GATE_TEST_POSTGRES_URL", "postgresql://p0gate@127.0.0.1:1/x")
    tools = cases.path / "no-tools"
    tools.mkdir()
    for name in ("pdfsig", "pdftoppm"):
        (tools / name).write_text("#!/bin/sh\n")
        (tools / name).chmod(0o755)
    result = _run(cases, "-k", "postgres or poppler")
    result.assert_outcomes(passed=2)


def test_with_ci_a_skipped_module_fails(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(test_module='''
import pytest
pytest.skip("whole module", allow_module_level=True)

def test_never():
    pass
''')
    monkeypatch.delenv("CI", raising=False)
    _run(pytester).assert_outcomes(skipped=1)
    monkeypatch.setenv("CI", "true")
    result = _run(pytester)
    result.assert_outcomes(errors=1)
    assert "was skipped with CI=true (whole module)" in result.stdout.str()
