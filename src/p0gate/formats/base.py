"""The formatter interface."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

if TYPE_CHECKING:
    from p0gate.result import Result


@runtime_checkable
class Formatter(Protocol):
    """Renders a result as one file."""

    name: ClassVar[str]
    description: ClassVar[str]

    def render(self, result: Result) -> bytes: ...
