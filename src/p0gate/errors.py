"""The exception tree and the exit codes.

    P0gateError                 base; carries an exit code
    ├── UsageError              2  wrong command-line use
    ├── InputError              3  invalid input: policy, manifest, waiver, sign-off, artifact
    │   ├── EvidenceError       3  an artifact is missing, unreadable, tampered or malformed
    │   └── UnvouchedError      3  monitoring cannot vouch for a rollback trigger
    └── OutputError             4  a report could not be written or signed

A failing control is *not* an exception: it is an outcome (see ``result``). An
``EvidenceError`` raised while a check runs becomes that control's ``error`` outcome; raised
while a bundle is opened, it is invalid input (exit 3). Anything else that escapes is a bug:
the CLI exits 70.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    GO = 0
    NO_GO = 1
    USAGE = 2
    INVALID_INPUT = 3
    OUTPUT = 4
    ROLLBACK = 5
    INTERNAL = 70


@dataclass(frozen=True)
class Location:
    """Where in which file something is wrong (line and column are 1-based)."""

    file: Path | str
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        text = str(self.file)
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        if self.field:
            text += f" ({self.field})"
        return text


class P0gateError(Exception):
    """Base of every error p0gate reports on purpose."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(
        self, message: str, *, location: Location | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class UsageError(P0gateError):
    exit_code = ExitCode.USAGE


class InputError(P0gateError):
    exit_code = ExitCode.INVALID_INPUT


class EvidenceError(InputError):
    """An artifact cannot be trusted or read; inside a check this makes the control ``error``."""


class UnvouchedError(InputError):
    """Monitoring cannot vouch for a rollback trigger: it was not evaluated, or read evidence
    older than ``--max-age`` (and no trigger fired): never an OK."""


class OutputError(P0gateError):
    exit_code = ExitCode.OUTPUT
