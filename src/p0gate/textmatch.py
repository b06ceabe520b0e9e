"""Text as people read it, and phrases found in it. Pure functions; imports nothing of p0gate.

``fold`` makes two spellings of one value equal (``clean`` keeps the case): Unicode NFKC
(full-width letters, ligatures, NBSP become plain ones), invisible characters removed
(zero-width spaces and joiners, soft hyphens, bidi marks, BOM: every format character),
any run of Unicode whitespace one space, trimmed, case folded.

``readable`` is ``fold`` after what a screen does to UI text: markup entities decoded
(``&nbsp;``, ``&#8203;``), tags removed (a block tag such as ``<br>`` leaves a space),
``\\u0020``-style escapes decoded.

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
from dataclasses import dataclass

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


def readable(value: str) -> str:
    """The text a person reads on screen, folded: entities decoded, markup removed."""
    text = value
    for _ in range(3):  # entities may hide tags (&lt;b&gt;) and tags may hide entities
        stripped = _TAG.sub(_untag, html.unescape(text))
        if stripped == text:
            break
        text = stripped
    return fold(decode_escapes(text))


def decode_escapes(text: str) -> str:
    """``\\u0020``-style escapes (Android resources, some JSON exporters) decoded."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def stem_pattern(form: str) -> str:
    """A phrase form as a regex: whole words, any joiner between words, ``word*`` a stem."""
    words = []
    for word in fold(form).split(" "):
        stem = word.endswith("*") and len(word) > 1
        words.append(re.escape(word.rstrip("*")) + (r"\w*" if stem else ""))
    return r"(?<!\w)" + _JOINERS.join(words) + r"(?!\w)"


def compile_regex(pattern: str) -> re.Pattern[str]:
    """A lexicon regex, compiled case-insensitively; ``ValueError`` when it is not valid."""
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None


@dataclass(frozen=True)
class Phrase:
    """What to look for (forms, an optional regex), named by ``label`` in every message."""

    label: str
    patterns: tuple[re.Pattern[str], ...]

    @classmethod
    def of(cls, label: str, forms: tuple[str, ...] = (), regex: str | None = None) -> Phrase:
        found = "|".join(stem_pattern(f) for f in (label, *forms) if fold(f))
        patterns = [re.compile(found)] if found else []
        if regex:
            patterns.append(compile_regex(regex))
        return cls(label, tuple(patterns))

    def in_readable(self, read: str) -> bool:
        """Whether the phrase is in text already made ``readable`` (do that once per text)."""
        return any(p.search(read) for p in self.patterns)

    def found_in(self, text: str) -> bool:
        return self.in_readable(readable(text))
