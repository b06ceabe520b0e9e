"""Output formats: one module per format, one line per format in ``FORMATS``.

A formatter is a pure function of the result: ``render(result) -> bytes``.
"""

from __future__ import annotations

from p0gate.formats.base import Formatter
from p0gate.formats.json import JsonFormatter

FORMATS: tuple[Formatter, ...] = (
    JsonFormatter(),
)


def formatter_for(name: str) -> Formatter | None:
    return next((f for f in FORMATS if f.name == name), None)
