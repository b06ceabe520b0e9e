"""The formatter interface."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol

if TYPE_CHECKING:
    from p0gate.result import Result


class Formatter(Protocol):
    """Renders a result as one file."""

    name: ClassVar[str]
    description: ClassVar[str]

    def render(self, result: Result) -> bytes: ...
