"""Normalisation and phrase matching (p0gate.textmatch)."""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from p0gate.textmatch import (
    Phrase,
    Reading,
    Seen,
    clean,
    compile_regex,
    fold,
    latin,
    lookalike,
    readable,
)
from tests.conftest import POLICIES

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f",
             "\u202a", "\u202c", "\u2066", "\u2069", "\u061c", "\u034f", "\ufe0f"]
SPACES = [" ", "\t", "\n", "\u00a0", "\u2002", "\u2009", "\u202f", "\u3000", "\u1680"]


@pytest.mark.parametrize("spelling", [
    "safety", "Safety ", " SAFETY", "Safety\u00a0", "\tsafety\n", "Ｓａｆｅｔｙ", "saf\u200bety",
    "\ufeffSafety", "ſafety",  # long s folds to s under NFKC
])
def test_fold_makes_spellings_equal(spelling: str) -> None:
    assert fold(spelling) == "safety"


def test_clean_keeps_case_and_inner_single_spaces() -> None:
    assert clean("  Moderately\u00a0\u00a0Severe\u200b ") == "Moderately Severe"


@given(st.text(max_size=30), st.sampled_from(INVISIBLE), st.sampled_from(SPACES),
       st.integers(0, 30))
def test_fold_ignores_invisible_characters_and_outer_spaces(text: str, invisible: str,
                                                            space: str, at: int) -> None:
    mangled = space + text[:at] + invisible + text[at:] + space
    assert fold(mangled) == fold(text)


@given(st.text(max_size=40))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@pytest.mark.parametrize(("raw", "seen"), [
    ("commit<br/>suicide", "commit suicide"),
    ("com<b>mit</b> suicide", "commit suicide"),
    ("commit&nbsp;suicide", "commit suicide"),
    ("commit&#8203; suicide", "commit suicide"),
    ("&lt;b&gt;commit&lt;/b&gt; suicide", "commit suicide"),
    ("commit\\u0020suicide", "commit suicide"),
    ("<![CDATA[commit]]> <!-- x -->suicide", "commit suicide"),
    ("a < b > c", "a < b > c"),  # not a tag
])
def test_readable(raw: str, seen: str) -> None:
    assert readable(raw) == seen


@pytest.mark.parametrize("text", [
    "He commits suicide", "committed suicide", "COMMITTING\u00a0SUICIDE", "commit-suicide",
    "com\u00admitted sui\u200bcide", "ｃｏｍｍｉｔｔｅｄ suicide", "commit\u2011suicide",
])
def test_stems_find_inflections(text: str) -> None:
    assert Phrase.of("commit suicide", ("commit* suicide",)).found_in(text)


@pytest.mark.parametrize("text", ["commitment to suicide prevention", "recommit suicides"])
def test_stems_keep_whole_words(text: str) -> None:
    assert not Phrase.of("commit suicide", ("commit* suicide",)).found_in(text)


def test_regex_forms_and_bad_regexes() -> None:
    phrase = Phrase.of("press 3", (), r"(?<!\w)press\s*(?:3|three)(?!\w)")
    assert phrase.found_in("PRESS THREE now") and phrase.found_in("press3")
    assert not phrase.found_in("press 30")
    with pytest.raises(ValueError, match="not a valid regular expression"):
        compile_regex("(unclosed")


def test_an_empty_form_matches_nothing() -> None:
    assert not Phrase.of("", ("  ",)).found_in("anything")


@pytest.mark.parametrize(("text", "skeleton"), [
    ("kіll", "kill"),  # Cyrillic і
    ("KIlL", "klll"),  # capital I looks like l: the skeleton is taken before case folding
    ("ѕuісіdе", "suicide"),  # Cyrillic ѕ, і, с, е
    ("ΡRΕSS", "press"),  # Greek capitals
    ("m", "rn"),  # UTS #39 maps m to rn, so "rnyself" reads as "myself"
    ("Ｓａｆｅ\u200bty", "safety"),  # NFKC and invisible characters first, as fold does
])
def test_lookalike_is_the_case_folded_uts39_skeleton(text: str, skeleton: str) -> None:
    assert lookalike(text) == skeleton


def test_latin_keeps_ascii_and_real_letters() -> None:
    assert latin("Prеss 3") == "press 3"  # Cyrillic е
    assert latin("KIlL m 0") == "kill m 0"  # ASCII is kept as written
    assert latin("Café ünd Straße") == fold("Café ünd Straße")
    assert latin("связь") == "cвязь"  # only letters with an ASCII prototype (с) change


@given(st.text(max_size=30))
def test_latin_leaves_ascii_as_fold_does(text: str) -> None:
    ascii_text = text.encode("ascii", "ignore").decode()
    assert latin(ascii_text) == fold(ascii_text)


@cache
def _confusables() -> dict[str, list[str]]:
    """Each ASCII letter and the characters that read as it by UTS #39 (``lookalike`` is
    the skeleton, checked against ICU's), as written or in lower case: Cyrillic ``і`` or
    ``І`` for ``i``, Greek ``Τ`` for ``t``, a capital ``I`` for ``l``."""
    from p0gate.textmatch import _prototypes

    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    table: dict[str, list[str]] = {letter: [] for letter in letters}
    for char in sorted({*_prototypes(), *(x.upper() for x in letters)}):
        for letter in letters:
            reads = {lookalike(char), lookalike(char.lower())}
            if char != letter and lookalike(letter) in reads \
                    and unicodedata.category(char) != "Cf":
                table[letter].append(char)
    return table


def _lexicon() -> list[dict[str, Any]]:
    doc = yaml.safe_load((POLICIES / "lexicons" / "safe-messaging.yaml").read_text())
    return list(doc["entries"])


def test_every_letter_has_look_alikes() -> None:
    assert all(_confusables()[letter] for letter in "aceijopsxy")
    assert "\u0456" in _confusables()["i"] and "\u03bf" in _confusables()["o"]


@pytest.mark.parametrize("entry", _lexicon(), ids=lambda e: str(e["avoid"]))
def test_a_look_alike_letter_never_removes_a_hit(entry: dict[str, Any]) -> None:
    """Metamorphic, exhaustive: in every phrase of the default lexicon, replace each letter
    by each of its UTS #39 confusables (Cyrillic, Greek, mathematical, a capital I for l...):
    the phrase is still found, as written or with look-alike letters."""
    forms = tuple(entry.get("forms") or ())
    phrase = Phrase.of(entry["avoid"], forms, entry.get("regex"))
    missed, tried = [], 0
    for text in (entry["avoid"], *forms):
        text = text.replace("*", "")
        assert phrase.seen_in(Reading.of(text)) is Seen.WRITTEN
        for at, letter in enumerate(text):
            for swap in _confusables().get(letter.lower(), ()):
                written = f"Our page says: {text[:at]}{swap}{text[at + 1:]}."
                tried += 1
                if phrase.seen_in(Reading.of(written)) is None:
                    missed.append(written)
    assert tried > 100 and not missed, missed[:5]


def test_a_look_alike_hit_is_marked_as_such() -> None:
    phrase = Phrase.of("kill myself")
    assert phrase.seen_in(Reading.of("I want to kill myself")) is Seen.WRITTEN
    assert phrase.seen_in(Reading.of("I want to kіll myself")) is Seen.LOOKALIKE
    assert phrase.seen_in(Reading.of("I want to skill myselfish")) is None
    assert phrase.seen_in(Reading.of("I WANT TO KІLL MYSELF")) is Seen.LOOKALIKE  # Cyrillic І
    assert phrase.seen_in(Reading.of("I want to kiIl myself")) is Seen.LOOKALIKE  # capital I
