"""Text as people read it, and phrases found in it. Pure functions; imports nothing of p0gate.

``fold`` makes two spellings of one value equal (``clean`` keeps the case): Unicode NFKC
(full-width letters, ligatures, NBSP become plain ones), invisible characters removed
(zero-width spaces and joiners, soft hyphens, bidi marks, BOM: every format character),
any run of Unicode whitespace one space, trimmed, case folded.

``readable`` is ``fold`` after what a screen does to UI text: markup entities decoded
(``&nbsp;``, ``&#8203;``), tags removed (a block tag such as ``<br>`` leaves a space),
``\\u0020``-style escapes decoded.

Look-alike letters, which NFKC keeps (Cyrillic ``і`` in ``suіcide``, Greek ``Τ``), are read
through Unicode UTS #39 (``lookalike``: the skeleton, case folded). A phrase is also looked for
with each letter any character that reads as it in either case (``lookalike_class``: a
Cyrillic capital ``І`` in ``KІLL``, a Greek ``Τ`` in ``Τext``), in the skeleton of the text
(``rn`` for ``m``, a capital ``I`` for ``l``), and a lexicon's regular expression in ``latin``
text (non-ASCII look-alikes of ASCII replaced by it). The table (``_data/confusables.tsv``) is
generated from Unicode's confusables.txt by scripts/make_confusables.py and names its source
version and sha256 in its header.

A ``Phrase`` matches whole words in readable text. Its forms are written as phrases: words
are separated by any whitespace or hyphen, and a word ending in ``*`` is a stem that takes
any ending (``commit* suicide`` finds commits, committed, committing suicide). A phrase may
also carry a regular expression (Python syntax, matched against readable text, so written
in lower case); it is compiled once, and messages name the phrase's label, never the regex.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import cache
from importlib import resources

_BLANK_LIKE = "\u115f\u1160\u3164\uffa0"  # Hangul fillers: shown as blank space
_JOINERS = r"[\s\-\u2010-\u2015\u2212]+"  # between the words of a phrase
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]*)(?:\s[^<>]*)?/?>|<!--.*?-->|<!\[CDATA\[|\]\]>",
                  re.DOTALL)
_BLOCK_TAGS = frozenset({
    "br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "table", "section", "blockquote", "pre", "header", "footer", "article",
})
_SPACES = re.compile(r"\s+")


def _visible(char: str) -> bool:
    if unicodedata.category(char) == "Cf":  # ZWSP, ZWJ, soft hyphen, bidi marks, BOM...
        return False
    code = ord(char)
    return not (code == 0x034F or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF
                or 0x180B <= code <= 0x180F)


def clean(value: str) -> str:
    """NFKC, invisible characters removed, whitespace collapsed and trimmed (case kept)."""
    text = unicodedata.normalize("NFKC", value)
    text = "".join(" " if c in _BLANK_LIKE else c for c in text if _visible(c))
    return _SPACES.sub(" ", text).strip()


def fold(value: str) -> str:
    """``clean``, then case folded: the form in which two spellings of a value compare."""
    return clean(value).casefold()


def _untag(match: re.Match[str]) -> str:
    name = (match.group(2) or "").lower()
    return " " if name in _BLOCK_TAGS else ""


def _screen(value: str) -> str:
    """Entities decoded, markup removed, escapes decoded: the characters a screen shows."""
    text = value
    for _ in range(3):  # entities may hide tags (&lt;b&gt;) and tags may hide entities
        stripped = _TAG.sub(_untag, html.unescape(text))
        if stripped == text:
            break
        text = stripped
    return decode_escapes(text)


def readable(value: str) -> str:
    """The text a person reads on screen, folded: entities decoded, markup removed."""
    return fold(_screen(value))


@cache
def _prototypes() -> dict[str, str]:
    """UTS #39: each confusable character and its prototype (from _data/confusables.tsv)."""
    table = resources.files("p0gate") / "_data" / "confusables.tsv"
    pairs = (line.split("\t") for line in table.read_text("utf-8").splitlines()
             if line and not line.startswith("#"))
    return {chr(int(char, 16)): "".join(chr(int(c, 16)) for c in proto.split())
            for char, proto in pairs}


def _mapped(text: str) -> str:
    table = _prototypes()
    return "".join(table.get(c, c) for c in unicodedata.normalize("NFD", text))


def lookalike(value: str) -> str:
    """The UTS #39 skeleton of ``clean(value)``, then case folded: two strings that look
    alike as written (``kіll`` with a Cyrillic ``і``, ``kiIl`` with a capital ``I``, ``rn`` for
    ``m``) give the same text. Prototypes again after case folding; NFC."""
    folded = _mapped(clean(value)).casefold()
    return unicodedata.normalize("NFC", _mapped(folded))


def _ascii_prototype(char: str) -> str:
    """An ASCII look-alike of a non-ASCII character (of its lower case first), or itself."""
    table = _prototypes()
    for candidate in (table.get(char.lower(), ""), table.get(char, "")):
        if candidate.isascii() and candidate.strip():
            return candidate
    return char


def latin(value: str) -> str:
    """``fold(value)`` with each non-ASCII look-alike of ASCII (``і``, ``Τ``) replaced by
    it: what a lexicon's regular expression reads."""
    decomposed = unicodedata.normalize("NFD", clean(value))
    text = "".join(c if c.isascii() else _ascii_prototype(c) for c in decomposed)
    return unicodedata.normalize("NFC", text).casefold()


@cache
def _readers() -> dict[str, frozenset[str]]:
    """Each skeleton and the characters that read as it, as written or in lower case."""
    chars = {*_prototypes(), *map(chr, range(0x21, 0x7F))}
    chars |= {v for c in list(chars) for v in (c.lower(), c.upper()) if len(v) == 1}
    found: dict[str, set[str]] = {}
    for char in chars:
        for seen in {lookalike(char), lookalike(char.lower())} - {""}:
            found.setdefault(seen, set()).add(char)
    return {seen: frozenset(c) for seen, c in found.items()}


@cache
def lookalike_class(char: str) -> str:
    """A regex class: ``char``, its capital, and any character that reads as it."""
    chars = {char, char.upper(), *_readers().get(lookalike(char), ())}
    return "[" + "".join(re.escape(c) for c in sorted(chars) if len(c) == 1) + "]"


def decode_escapes(text: str) -> str:
    """``\\u0020``-style escapes (Android resources, some JSON exporters) decoded."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def stem_pattern(form: str, spelled: Callable[[str], str] = re.escape) -> str:
    """A phrase form as a regex: whole words, any joiner between words, ``word*`` a stem;
    each word's regex from ``spelled`` (``re.escape`` of the folded word by default)."""
    words = []
    for word in fold(form).split(" "):
        stem = word.endswith("*") and len(word) > 1
        words.append(spelled(word.rstrip("*") if stem else word) + (r"\w*" if stem else ""))
    return r"(?<!\w)" + _JOINERS.join(words) + r"(?!\w)"


def _classes(word: str) -> str:
    return "".join(lookalike_class(c) for c in word)


def _skeleton(word: str) -> str:
    return re.escape(lookalike(word))


def _joined(forms: list[str], spelled: Callable[[str], str]) -> re.Pattern[str]:
    return re.compile("|".join(stem_pattern(f, spelled) for f in forms))


def compile_regex(pattern: str) -> re.Pattern[str]:
    """A lexicon regex, compiled case-insensitively; ``ValueError`` when it is not valid."""
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None


class Seen(Enum):
    """How a phrase was found: as written, or only once look-alike letters were read."""

    WRITTEN = "written"
    LOOKALIKE = "written with look-alike letters"


@dataclass(frozen=True)
class Reading:
    """One text as ``readable``, and for the look-alike patterns as written (``clean``), as
    ``lookalike`` and as ``latin``: computed once per text."""

    plain: str
    written: str
    skeleton: str
    latin: str

    @classmethod
    def of(cls, value: str) -> Reading:
        screen = _screen(value)
        return cls(fold(screen), clean(screen), lookalike(screen), latin(screen))


@dataclass(frozen=True)
class Phrase:
    """What to look for (forms, an optional regex), named by ``label`` in every message.
    ``patterns`` read readable text. With look-alike letters: ``classes`` (each letter of a
    form any character that reads as it) read the text as written, ``skeletons`` its
    skeleton (``rn`` for ``m``), and ``regexes`` its ``latin`` form."""

    label: str
    patterns: tuple[re.Pattern[str], ...]
    classes: re.Pattern[str] | None = None
    skeletons: re.Pattern[str] | None = None
    regexes: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def of(cls, label: str, forms: tuple[str, ...] = (), regex: str | None = None) -> Phrase:
        written = [f for f in (label, *forms) if fold(f)]
        regexes = (compile_regex(regex),) if regex else ()
        if not written:
            return cls(label, regexes, regexes=regexes)
        found = _joined(written, re.escape)
        return cls(label, (found, *regexes), _joined(written, _classes),
                   _joined(written, _skeleton), regexes)

    def in_readable(self, read: str) -> bool:
        """Whether the phrase is in text already made ``readable`` (do that once per text)."""
        return any(p.search(read) for p in self.patterns)

    def seen_in(self, reading: Reading) -> Seen | None:
        """Whether (and how) the phrase is in the text: as written, or with look-alikes."""
        if self.in_readable(reading.plain):
            return Seen.WRITTEN
        tries = [(self.classes, reading.written), (self.skeletons, reading.skeleton),
                 *((r, reading.latin) for r in self.regexes)]
        if any(p is not None and p.search(text) for p, text in tries):
            return Seen.LOOKALIKE
        return None

    def found_in(self, text: str) -> bool:
        return self.seen_in(Reading.of(text)) is not None
