"""Services the collect tests need: skipped locally when absent, a failure in CI."""

from __future__ import annotations

import os

import pytest

from tests.services import in_ci


def need(variable: str, what: str) -> str:
    """The URL in ``variable``; in CI (CI=true) its absence fails the test, else skips it."""
    url = os.environ.get(variable)
    if url:
        return url
    message = f"{variable} is not set: {what} (make test starts one)"
    if in_ci():
        pytest.fail(f"{message}; in CI this service must run")
    pytest.skip(message)
