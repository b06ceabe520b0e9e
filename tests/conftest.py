"""What the tests share: the checkout's folders, the example bundles and their clock.

Test modules import these names (``from tests.conftest import EXAMPLES``); fixtures that
only some folders need live in those folders' own conftest.py.
The plugins of the whole suite: tests/services.py (service markers; no skipping with
CI=true), and pytester, with which tests/test_services.py runs pytest on small test files.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POLICIES = ROOT / "policies"
EXAMPLES = ROOT / "evidence" / "examples"
TEST_DATA = ROOT / "tests" / "data"

# The clock of the beta gate examples (make demo's --now: half a day after the pre-release
# evidence was collected), as a datetime and as --now takes it.
NOW = datetime(2025, 9, 20, tzinfo=UTC)
NOW_ISO = "2025-09-20T00:00:00Z"
GO_BUNDLE = EXAMPLES / "lifecycle" / "01-pre-release"  # GO at the beta gate
NO_GO_BUNDLE = EXAMPLES / "no-go" / "beta"  # NO-GO at the beta gate (and a waiver demo)

pytest_plugins = ("tests.services", "pytester")
