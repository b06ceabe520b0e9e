"""html: one self-contained, accessible page (inline CSS and SVG) for the authorities."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from p0gate.formats.base import PLAIN, ReportContext

if TYPE_CHECKING:
    from p0gate.result import Result


class HtmlFormatter:
    name: ClassVar[str] = "html"
    description: ClassVar[str] = "self-contained HTML report (inline CSS and SVG charts)"

    def render(self, result: Result, context: ReportContext = PLAIN) -> bytes:
        from p0gate.formats.templating import render

        return render("report.html.j2", result, context).encode("utf-8")
