"""The base of every ``p0gate/v1`` document and the one way to load one.

``load_document(path, Model)`` reads safe YAML (``yamlio``) and validates it; an invalid
document is one ``InputError`` naming the file, the line and the field. ``load_located``
keeps the YAML's line map beside the document, for findings made after validation (a waiver
naming an unknown control, say).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from p0gate.yamlio import Json, LineMap, load_yaml, validation_error

if TYPE_CHECKING:
    from p0gate.errors import Location

API_VERSION: Final = "p0gate/v1"


class Model(BaseModel):
    """Base of every model read from a file: frozen, strict, no unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class Document(Model):
    """A whole ``p0gate/v1`` file; each subclass names its ``kind``."""

    apiVersion: Literal["p0gate/v1"]  # noqa: N815 - the file format's spelling


M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Located(Generic[M]):
    """A validated document with the YAML it came from."""

    document: M
    data: Json
    lines: LineMap

    def locate(self, path: Sequence[str | int]) -> Location:
        """The file, line and field of ``path`` (keys and indexes) in the YAML."""
        return self.lines.locate(path, self.data)


def load_document(path: Path, model: type[M], *, text: str | None = None) -> M:
    """Read ``path`` (or ``text`` read from it) as YAML and validate it as ``model``."""
    return load_located(path, model, text=text).document


def load_located(path: Path, model: type[M], *, text: str | None = None) -> Located[M]:
    """Like ``load_document``, keeping the line map for later findings."""
    data, lines = load_yaml(path, text=text)
    return Located(validated(model, data, lines), data, lines)


def validated(model: type[M], data: Json, lines: LineMap, *,
              context: dict[str, object] | None = None) -> M:
    """``data`` validated as ``model`` (``context`` goes to pydantic's validators); an
    ``InputError`` with file, line and field if not."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise validation_error(exc, data, lines) from None
