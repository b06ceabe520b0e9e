"""The formatter interface, and what a report may know besides the result.

A formatter renders a result as one file. Most formats need nothing else; a few use the
``ReportContext``: the PDF's signer and signing time (its cover), the ledger's history of
decisions (the per-gate history chart of the HTML and PDF reports), and where the policy
pack and the repository are (SARIF locations relative to the repository root).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

if TYPE_CHECKING:
    from p0gate.result import Result


@dataclass(frozen=True)
class HistoryPoint:
    """One decision of the ledger, for the per-gate history chart."""

    recorded_at: str
    gate: str
    decision: str
    version: str
    current: bool = False


@dataclass(frozen=True)
class Signing:
    """Who signs the PDF, when, and the PDF/A part the signature's key allows."""

    signer: str
    signed_at: str
    pdfa: str = "pdf/a-3b"


@dataclass(frozen=True)
class ReportContext:
    signing: Signing | None = None
    history: tuple[HistoryPoint, ...] = ()
    pack_root: Path | None = None
    sarif_root: Path | None = None


PLAIN = ReportContext()


@runtime_checkable
class Formatter(Protocol):
    """Renders a result as one file."""

    name: ClassVar[str]
    description: ClassVar[str]

    def render(self, result: Result, context: ReportContext = PLAIN) -> bytes: ...
