"""Fixtures of the format tests: a synthetic result with every outcome, and golden files.

Golden files live in tests/data/golden/; rerun with P0GATE_REGEN_GOLDEN=1 to rewrite them,
then review the diff.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from p0gate.result import Result, load_result
from tests.conftest import EXAMPLES, NOW, POLICIES, TEST_DATA

GOLDEN = TEST_DATA / "golden"
Golden = Callable[[str, bytes, Callable[[bytes], object]], None]


@pytest.fixture(scope="session")
def sample() -> Result:
    """Eight controls: pass, fail (rollback), error, inconclusive, waived, not applicable."""
    return load_result((GOLDEN / "result.json").read_bytes())


@pytest.fixture(scope="session")
def example() -> Result:
    """A real evaluation of the failing beta example bundle with the default pack."""
    from p0gate.runner import Inputs, evaluate_paths

    return evaluate_paths(
        Inputs(evidence=EXAMPLES / "no-go" / "beta", policies=POLICIES),
        gate="beta",
        now=NOW,
    )


@pytest.fixture
def golden() -> Golden:
    """Compare ``data`` with the golden file ``name`` after parsing both with ``parse``."""

    def check(name: str, data: bytes, parse: Callable[[bytes], object]) -> None:
        path = GOLDEN / name
        if os.environ.get("P0GATE_REGEN_GOLDEN"):
            path.write_bytes(data)
        assert path.is_file(), f"{path} missing: run with P0GATE_REGEN_GOLDEN=1"
        assert parse(data) == parse(path.read_bytes()), (
            f"{name} differs from its golden file: rerun with P0GATE_REGEN_GOLDEN=1 and review"
        )

    return check
