"""language: no lexicon phrase in the ui-strings, and required phrases present.

The lexicon is a file in the pack (``kind: Lexicon``). Strings are read as a person reads
them (``p0gate.textmatch``: NFKC, invisible characters and markup removed, entities and
escapes decoded, case folded) and a phrase matches whole words, with any run of spaces or
hyphens between its words; an entry's ``forms`` add inflections (``commit* suicide``) and
its ``regex`` anything else. Each hit names the file, the key and the entry's ``avoid`` text.
``required_phrases`` must each appear in at least one string whose key matches ``keys``
(e.g. the crisis screen says "call or text 988"). Hits are reported whatever the outcome.
Lexicon phrases are also found when written with look-alike letters (``suіcide`` with a
Cyrillic ``і``: ``textmatch.lookalike``, the Unicode UTS #39 skeleton), and such a hit says
"written with look-alike letters"; a required phrase counts only as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from p0gate.checks.base import CheckParams, nothing_selected
from p0gate.checks.lexicon import Lexicon, LexiconEntry
from p0gate.errors import InputError
from p0gate.evidence import kinds_read_by
from p0gate.evidence.ui_strings import UiStrings, UiStringsReader
from p0gate.outcome import CheckResult, Outcome, Values
from p0gate.textmatch import Phrase, Reading, Seen, readable

if TYPE_CHECKING:
    from p0gate.checks.base import CheckContext
    from p0gate.checks.pack_files import PackFolder

SHOWN = 10




@dataclass(frozen=True)
class Hit:
    path: str
    key: str
    entry: LexiconEntry
    seen: Seen = Seen.WRITTEN

    def __str__(self) -> str:
        how = " (written with look-alike letters)" if self.seen is Seen.LOOKALIKE else ""
        return (f"{self.path}: {self.key}: {self.entry.avoid!r}{how} "
                f"(prefer {self.entry.prefer!r})")


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

    accepts: ClassVar[tuple[str, ...]] = kinds_read_by(UiStringsReader)
    UNITS: ClassVar[dict[str, str]] = {
        "strings": "strings",
        "hits": "hits",
        "max_hits": "hits",
        "missing_phrases": "phrases",
    }
    default_kind: ClassVar[str | None] = accepts[0]

    def pack_problems(self, pack: PackFolder) -> list[str]:
        pure = PurePosixPath(self.lexicon)
        if pure.is_absolute() or ".." in pure.parts:
            return [f"lexicon {self.lexicon!r} must be a relative path inside the pack"]
        if not pack.path(self.lexicon).is_file():
            return [f"lexicon file {self.lexicon!r} not found in the pack"]
        try:
            pack.lexicon(self.lexicon)
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
        lexicon = ctx.files.lexicons[self.lexicon]
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
    translation's msgid is what users of the source language read), as written or only
    once look-alike letters are folded (then the hit says so)."""
    phrases = [(entry, entry.phrase()) for entry in lexicon.entries]
    hits = []
    for f in files:
        for e in f.entries:
            reads = [Reading.of(t) for t in (e.text, *e.source)]
            for entry, phrase in phrases:
                if seen := _seen(phrase, reads):
                    hits.append(Hit(f.path, e.key, entry, seen))
    return hits


def _seen(phrase: Phrase, reads: list[Reading]) -> Seen | None:
    found = {phrase.seen_in(r) for r in reads} - {None}
    if not found:
        return None
    return Seen.WRITTEN if Seen.WRITTEN in found else Seen.LOOKALIKE
