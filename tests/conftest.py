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

# The clock of the beta examples (make demo's --now), as a datetime and as --now takes it.
NOW = datetime(2025, 9, 28, 12, tzinfo=UTC)
NOW_ISO = "2025-09-28T12:00:00Z"

pytest_plugins = ("tests.services", "pytester")
