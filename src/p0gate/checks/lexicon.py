"""Lexicons (``kind: Lexicon``, a file in the pack): phrases to avoid and what to write instead."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from p0gate.documents import Document, Model, load_document


class LexiconEntry(Model):
    avoid: str = Field(min_length=1, description="phrase to avoid (whole words, any case)")
    prefer: str = Field(min_length=1, description="what to write instead")
    source: str | None = Field(None, description="where the guidance comes from")


class Lexicon(Document):
    kind: Literal["Lexicon"]
    name: str = Field(min_length=1, description="the lexicon's name")
    description: str | None = Field(None, description="what the lexicon is for")
    entries: list[LexiconEntry] = Field(min_length=1, description="phrases to avoid")


def load_lexicon(path: Path) -> Lexicon:
    return load_document(path, Lexicon)
