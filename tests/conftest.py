"""Plugins of the whole suite: tests/services.py (service markers; no skipping with CI=true),
and pytester, with which tests/test_services.py runs pytest on small test files."""

pytest_plugins = ("tests.services", "pytester")
