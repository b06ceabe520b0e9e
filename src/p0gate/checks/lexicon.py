"""Lexicons (``kind: Lexicon``, a file in the pack): phrases to avoid and what to write instead."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from p0gate.documents import Document, Model, load_document
from p0gate.textmatch import Phrase, compile_regex


class LexiconEntry(Model):
    avoid: str = Field(min_length=1, description=(
        "phrase to avoid (whole words, any case); every message about a hit names it"))
    prefer: str = Field(min_length=1, description="what to write instead")
    source: str | None = Field(None, description="where the guidance comes from")
    forms: list[str] = Field(default_factory=list, description=(
        "other forms that are hits too, written as phrases; a word ending in * takes any "
        "ending (commit* suicide: commits, committed, committing suicide)"))
    regex: str | None = Field(None, min_length=1, description=(
        "a Python regular expression that is a hit too, matched against the normalised, "
        "lower-case text; checked when the pack loads, never shown in messages"))

    @field_validator("forms", mode="before")
    @classmethod
    def _one_form(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            compile_regex(value)
        return value

    def phrase(self) -> Phrase:
        return Phrase.of(self.avoid, tuple(self.forms), self.regex)


class Lexicon(Document):
    kind: Literal["Lexicon"]
    name: str = Field(min_length=1, description="the lexicon's name")
    description: str | None = Field(None, description="what the lexicon is for")
    entries: list[LexiconEntry] = Field(min_length=1, description="phrases to avoid")


def load_lexicon(path: Path) -> Lexicon:
    return load_document(path, Lexicon)
