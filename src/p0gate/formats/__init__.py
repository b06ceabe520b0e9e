"""Output formats: one module per format, one line per format in ``FORMATS``.

A formatter is a pure function of the result: ``render(result) -> bytes``.
"""

from __future__ import annotations

from p0gate.formats.base import Formatter
from p0gate.formats.html import HtmlFormatter
from p0gate.formats.json import JsonFormatter
from p0gate.formats.junit import JunitFormatter
from p0gate.formats.markdown import MarkdownFormatter
from p0gate.formats.oscal import OscalFormatter
from p0gate.formats.pdf import PdfFormatter
from p0gate.formats.sarif import SarifFormatter

FORMATS: tuple[Formatter, ...] = (
    JsonFormatter(),
    JunitFormatter(),
    SarifFormatter(),
    MarkdownFormatter(),
    HtmlFormatter(),
    PdfFormatter(),
    OscalFormatter(),
)


def formatter_for(name: str) -> Formatter | None:
    return next((f for f in FORMATS if f.name == name), None)
