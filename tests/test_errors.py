"""The exception tree and its exit codes; locations as people read them."""

from pathlib import Path

import pytest

from p0gate.errors import (
    EvidenceError,
    ExitCode,
    InputError,
    Location,
    OutputError,
    P0gateError,
    UsageError,
)


@pytest.mark.parametrize(("error", "code"), [
    (UsageError, 2), (InputError, 3), (EvidenceError, 3), (OutputError, 4), (P0gateError, 70)])
def test_every_error_carries_its_exit_code(error: type[P0gateError], code: int) -> None:
    assert error("x").exit_code == code and issubclass(error, P0gateError)
    assert [int(c) for c in ExitCode] == [0, 1, 2, 3, 4, 5, 70]  # design section 5


def test_an_evidence_error_is_invalid_input() -> None:
    assert issubclass(EvidenceError, InputError)


def test_locations_and_hints_read_like_compiler_messages() -> None:
    where = Location(Path("p/a.yaml"), 3, 7, "controls.0.id")
    assert str(where) == "p/a.yaml:3:7 (controls.0.id)"
    assert str(Location("a.yaml")) == "a.yaml" and str(Location("a.yaml", 2)) == "a.yaml:2"
    error = InputError("bad id", location=where, hint="use CAPS")
    assert str(error) == "p/a.yaml:3:7 (controls.0.id): bad id\n  hint: use CAPS"
    assert error.message == "bad id"
