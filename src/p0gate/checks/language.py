"""language: no lexicon phrase in the ui-strings, and required phrases present.

The lexicon is a file in the pack (``kind: Lexicon``). Strings are read as a person reads
them (``p0gate.textmatch``: NFKC, invisible characters and markup removed, entities and
escapes decoded, case folded) and a phrase matches whole words, with any run of spaces or
hyphens between its words; an entry's ``forms`` add inflections (``commit* suicide``) and
its ``regex`` anything else. Each hit names the file, the key and the entry's ``avoid`` text.
``required_phrases`` must each appear in at least one string whose key matches ``keys``
(e.g. the crisis screen says "call or text 988"). Hits are reported whatever the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field, ValidationError, field_validator

from p0gate.checks.base import CheckParams, CheckResult, Outcome, Values, nothing_selected
from p0gate.errors import InputError
from p0gate.evidence.ui_strings import UiStrings
from p0gate.model import Model
from p0gate.textmatch import Phrase, compile_regex, readable

if TYPE_CHECKING:
    from p0gate.context import CheckContext

SHOWN = 10


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


class Lexicon(Model):
    apiVersion: Literal["p0gate/v1"]  # noqa: N815
    kind: Literal["Lexicon"]
    name: str = Field(min_length=1, description="the lexicon's name")
    description: str | None = Field(None, description="what the lexicon is for")
    entries: list[LexiconEntry] = Field(min_length=1, description="phrases to avoid")


def load_lexicon(path: Path) -> Lexicon:
    from p0gate.yamlio import load_yaml, validation_error

    data, lines = load_yaml(path)
    try:
        return Lexicon.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, data, lines) from None


@dataclass(frozen=True)
class Hit:
    path: str
    key: str
    entry: LexiconEntry

    def __str__(self) -> str:
        return f"{self.path}: {self.key}: {self.entry.avoid!r} (prefer {self.entry.prefer!r})"


class LanguageCheck(CheckParams):
    """No lexicon phrase in the UI strings; every required phrase present in selected keys."""

    type: Literal["language"]
    lexicon: str = Field(min_length=1, description="lexicon file, relative to the pack folder")
    max_hits: int = Field(0, ge=0, description="at most this many lexicon hits")
    required_phrases: list[str] = Field(
        default_factory=list,
        description=("phrases that must each appear in at least one selected string"),
    )
    keys: list[str] = Field(
        default_factory=lambda: ["*"],
        min_length=1,
        description=(
            "globs on string keys (dotted for JSON) that required_phrases are looked for in"
        ),
    )

    default_kind: ClassVar[str | None] = "ui-strings"
    accepts: ClassVar[tuple[str, ...]] = ("ui-strings",)

    def lexicon_path(self, pack_dir: Path) -> Path:
        return pack_dir / PurePosixPath(self.lexicon)

    def pack_problems(self, pack_dir: Path) -> list[str]:
        pure = PurePosixPath(self.lexicon)
        if pure.is_absolute() or ".." in pure.parts:
            return [f"lexicon {self.lexicon!r} must be a relative path inside the pack"]
        if not self.lexicon_path(pack_dir).is_file():
            return [f"lexicon file {self.lexicon!r} not found in the pack"]
        try:
            load_lexicon(self.lexicon_path(pack_dir))
        except InputError as exc:
            return [f"lexicon {self.lexicon!r} is invalid: {exc}"]
        return []

    def run(self, ctx: CheckContext) -> CheckResult:
        required: Values = {"lexicon": self.lexicon, "max_hits": self.max_hits}
        if self.required_phrases:
            required["required_phrases"] = "; ".join(self.required_phrases)
        artifacts = ctx.select(self)
        if not artifacts:
            return nothing_selected(self, required)
        files = [ctx.read(a, UiStrings) for a in artifacts]
        if not any(f.entries for f in files):
            return CheckResult(
                Outcome.INCONCLUSIVE, "the ui-strings hold no strings", required=required
            )
        lexicon = load_lexicon(self.lexicon_path(ctx.pack_dir))
        hits = _hits(files, lexicon)
        selected = [
            readable(e.text)
            for f in files
            for e in f.entries
            if any(fnmatchcase(e.key, g) for g in self.keys)
        ]
        missing = [
            p
            for p in self.required_phrases
            if not any(Phrase.of(p).in_readable(t) for t in selected)
        ]
        measured: Values = {
            "strings": sum(len(f.entries) for f in files),
            "hits": len(hits),
            "missing_phrases": len(missing),
        }
        return self._judge(hits, missing, selected, measured, required)

    def _judge(
        self,
        hits: list[Hit],
        missing: list[str],
        selected: list[str],
        measured: Values,
        required: Values,
    ) -> CheckResult:
        problems = []
        if len(hits) > self.max_hits:
            problems.append(f"{len(hits)} lexicon hits (at most {self.max_hits}): "
                            f"{_listing(hits)}")
        if missing and selected:
            problems.append(
                "required phrases missing from keys "
                f"{', '.join(self.keys)}: {'; '.join(map(repr, missing))}"
            )
        noted = f"; {len(hits)} lexicon hits (allowed): {_listing(hits)}" if hits else ""
        if problems:
            return CheckResult(Outcome.FAIL, "; ".join(problems), measured, required)
        if self.required_phrases and not selected:
            return CheckResult(
                Outcome.INCONCLUSIVE,
                f"no string key matches {', '.join(self.keys)}{noted}",
                measured,
                required,
            )
        found = (
            f", {len(self.required_phrases)} required phrases present"
            if self.required_phrases
            else ""
        )
        return CheckResult(
            Outcome.PASS,
            f"{measured['strings']} strings, {len(hits)} lexicon hits{found}{noted}",
            measured,
            required,
        )


def _listing(hits: list[Hit]) -> str:
    shown = "; ".join(str(h) for h in hits[:SHOWN])
    return shown + (f"; and {len(hits) - SHOWN} more" if len(hits) > SHOWN else "")


def _hits(files: list[UiStrings], lexicon: Lexicon) -> list[Hit]:
    """Every (string, entry) pair whose phrase is in the text or its source text (a .po
    translation's msgid is what users of the source language read)."""
    phrases = [(entry, entry.phrase()) for entry in lexicon.entries]
    return [
        Hit(f.path, e.key, entry)
        for f in files
        for e in f.entries
        for reads in [[readable(t) for t in (e.text, *e.source)]]
        for entry, phrase in phrases
        if any(phrase.in_readable(r) for r in reads)
    ]
