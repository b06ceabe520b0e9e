"""pytest plugin: services some tests need, and no skipping in CI.

A test names what it needs with a marker:

=========== ==============================================================================
``postgres`` a PostgreSQL server at ``P0GATE_TEST_POSTGRES_URL`` (``make test`` starts one)
``browser``  Chromium at ``/usr/bin/chromium`` (Debian's package)
``poppler``  poppler-utils' ``pdfsig`` and ``pdftoppm``
``axe``      node and npm, which run axe-core (tools/axe)
=========== ==============================================================================

Where one is missing the test is skipped, with the reason. With ``CI=true`` it fails instead:
CI must never pass by not running a test (once, ``start-postgres.sh`` could not find
``runuser`` and every PostgreSQL test was skipped unnoticed). Under ``CI=true`` any other skip
fails the run too, whether from a ``skipif`` or from ``pytest.skip`` inside a test or
fixture, unless the test carries ``@pytest.mark.ci_may_skip(reason=...)`` saying why that
skip cannot hide a missing service. Expected failures (xfail) are not skips.

Registered by tests/conftest.py; the system packages come from scripts/system-deps.sh.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Generator
from pathlib import Path

import pytest

CI_SKIP_OK = "ci_may_skip"


SERVICES: dict[str, tuple[Callable[[], bool], str]] = {
    "postgres": (lambda: bool(os.environ.get("P0GATE_TEST_POSTGRES_URL")),
                 "a PostgreSQL server: P0GATE_TEST_POSTGRES_URL is not set "
                 "(`make unit` starts one with scripts/start-postgres.sh; see its messages)"),
    "browser": (Path("/usr/bin/chromium").exists,
                "/usr/bin/chromium (scripts/system-deps.sh installs the chromium package)"),
    "poppler": (lambda: all(shutil.which(t) for t in ("pdfsig", "pdftoppm")),
                "pdfsig and pdftoppm (scripts/system-deps.sh installs poppler-utils)"),
    "axe": (lambda: all(shutil.which(t) for t in ("node", "npm")),
            "node and npm for axe-core (scripts/system-deps.sh installs npm)"),
}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def pytest_configure(config: pytest.Config) -> None:
    for name, (_, needs) in SERVICES.items():
        config.addinivalue_line("markers", f"{name}: needs {needs.split(':')[0]}")
    config.addinivalue_line(
        "markers", f"{CI_SKIP_OK}(reason): a skip of this test is allowed with CI=true")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip (or, with CI=true, fail) a test whose service is missing, before its fixtures."""
    for name, (available, needs) in SERVICES.items():
        if item.get_closest_marker(name) is not None and not available():
            if in_ci():
                pytest.fail(f"CI=true and this test needs {needs}", pytrace=False)
            pytest.skip(f"needs {needs}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if in_ci() and report.skipped and not hasattr(report, "wasxfail") \
            and item.get_closest_marker(CI_SKIP_OK) is None:
        _fail(report, item.nodeid)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    report = yield
    if in_ci() and report.skipped:
        _fail(report, collector.nodeid)
    return report


def _fail(report: pytest.TestReport | pytest.CollectReport, where: str) -> None:
    reason = _skip_reason(report)
    report.outcome = "failed"
    report.longrepr = (f"{where} was skipped with CI=true ({reason}); a skip in CI hides a "
                       f"missing service: install or start it (scripts/system-deps.sh, "
                       f"scripts/start-postgres.sh), or mark the test "
                       f"@pytest.mark.{CI_SKIP_OK}(reason=...) if it cannot")


def _skip_reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)
