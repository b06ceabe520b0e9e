"""Lexicons (``kind: Lexicon``, a file in the pack): phrases to avoid and what to write instead."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from p0gate.model import Model
from p0gate.yamlio import load_yaml, validation_error


class LexiconEntry(Model):
    avoid: str = Field(min_length=1, description="phrase to avoid (whole words, any case)")
    prefer: str = Field(min_length=1, description="what to write instead")
    source: str | None = Field(None, description="where the guidance comes from")


class Lexicon(Model):
    apiVersion: Literal["p0gate/v1"]  # noqa: N815
    kind: Literal["Lexicon"]
    name: str = Field(min_length=1, description="the lexicon's name")
    description: str | None = Field(None, description="what the lexicon is for")
    entries: list[LexiconEntry] = Field(min_length=1, description="phrases to avoid")


def load_lexicon(path: Path) -> Lexicon:
    data, lines = load_yaml(path)
    try:
        return Lexicon.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, data, lines) from None
