"""json: the canonical result document (sorted keys, no whitespace, with its digest)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from p0gate.formats.base import PLAIN, ReportContext

if TYPE_CHECKING:
    from p0gate.result import Result


class JsonFormatter:
    name: ClassVar[str] = "json"
    description: ClassVar[str] = "canonical result JSON with its digest"

    def render(self, result: Result, context: ReportContext = PLAIN) -> bytes:
        return result.canonical()
