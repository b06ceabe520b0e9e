"""Normalisation and phrase matching (p0gate.textmatch)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from p0gate.textmatch import Phrase, clean, compile_regex, fold, readable

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
