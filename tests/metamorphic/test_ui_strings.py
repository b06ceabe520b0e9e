"""language over ui-strings: one unsafe string, in any file format and any spelling a screen
renders the same, never passes (the default pack's CL-3 with its lexicon)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from p0gate.checks.base import Outcome
from p0gate.checks.language import LanguageCheck
from tests.bundlekit import File
from tests.metamorphic.kit import EXAMPLE, INVISIBLE, ROOT, never_passes, passes, run_relation

BASE = json.loads((EXAMPLE / "i18n" / "en.json").read_text())
CHECK = LanguageCheck.model_validate({
    "type": "language", "kind": "ui-strings", "lexicon": "lexicons/safe-messaging.yaml",
    "required_phrases": ["call or text 988", "988lifeline.org"],
    "keys": ["crisis.*", "crisis_*", "crisis|*"]})
PACK = ROOT / "policies"
UNSAFE = [("He", "committed", "suicide"), ("She", "commits", "suicide"),
          ("They tried to", "commit", "suicide"), ("A", "completed", "suicide"),
          ("LGBTQ+ youth,", "press", "3"), ("Or", "text", "PRIDE"), ("Just", "reply", "PRIDE"),
          ("Choose", "option", "3"), ("Rates are", "skyrocketing", ""),
          ("After a", "failed", "attempt")]
GAPS = [" ", "  ", "\u00a0", "&nbsp;", "\n", "<br/>", " <b></b>", "&#32;", "\\u0020", "\u2009",
        "-"]


@st.composite
def unsafe(draw: st.DrawFn) -> str:
    """An unsafe sentence as a screen shows it: any case, invisible characters, markup and
    entities, full-width letters, a letter written with a look-alike, any gap between the
    words."""
    lead, first, second = draw(st.sampled_from(UNSAFE))
    words = []
    for word in (first, second):
        letters = [c.upper() if draw(st.booleans()) else c for c in word]
        if len(letters) > 1 and draw(st.booleans()):
            letters.insert(draw(st.integers(1, len(letters) - 1)),
                           draw(st.sampled_from([*INVISIBLE, "&shy;", "<span></span>"])))
        if draw(st.booleans()):
            letters = [chr(ord(c) + 0xFEE0) if c.isalnum() and c.isascii() else c
                       for c in letters]
        if draw(st.booleans()):  # one letter written with a look-alike (Cyrillic, Greek...)
            letters = _lookalike(draw, letters)
        words.append("".join(letters))
    gap = draw(st.sampled_from(GAPS))
    phrase = words[0] + (gap + words[1] if second else "")
    if draw(st.booleans()):
        phrase = f"<i>{phrase}</i>"
    return f"{lead} {phrase} today."


def _lookalike(draw: st.DrawFn, letters: list[str]) -> list[str]:
    from tests.test_textmatch import _confusables

    places = [i for i, c in enumerate(letters) if c.lower() in _confusables()]
    if not places:
        return letters
    at = draw(st.sampled_from(places))
    swapped = list(letters)
    swapped[at] = draw(st.sampled_from(_confusables()[letters[at].lower()]))
    return swapped


def _json(text: str, key: list[str]) -> tuple[str, bytes]:
    doc: dict[str, Any] = json.loads(json.dumps(BASE))
    node = doc
    for part in key[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            return _json(text, ["stories", key[-1]])
    node[key[-1]] = text
    return "en.json", json.dumps(doc).encode()


def _po(text: str, translated: bool, context: bool) -> tuple[str, bytes]:
    entries = ['msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n']
    entries += [f'msgctxt "crisis"\nmsgid {json.dumps(v)}\nmsgstr {json.dumps(v)}\n'
                for v in BASE["crisis"].values() if isinstance(v, str)]
    body = json.dumps(text, ensure_ascii=False)
    ctx = 'msgctxt "stories"\n' if context else ""
    if translated:  # the source text is what users of the source language read
        entries.append(f'{ctx}msgid {body}\nmsgstr "Texto traducido"\n')
    else:
        entries.append(f'{ctx}msgid {body}\nmsgstr ""\n')
    return "es.po", "\n".join(entries).encode()


def _android(text: str) -> tuple[str, bytes]:
    def xml(value: str) -> str:
        return (value.replace("&", "&amp;").replace("<", "&lt;").replace("'", "\\'")
                .replace("\u00a0", "\\u00A0"))
    crisis = "".join(f'<string name="crisis_{k}">{xml(v)}</string>'
                     for k, v in BASE["crisis"].items() if isinstance(v, str))
    return "strings.xml", (f'<?xml version="1.0" encoding="utf-8"?><resources>{crisis}'
                           f'<string name="story">{xml(text)}</string></resources>').encode()


@st.composite
def with_unsafe(draw: st.DrawFn) -> tuple[str, bytes]:
    text = draw(unsafe())
    form = draw(st.sampled_from(["json", "po", "android"]))
    if form == "json":
        key = draw(st.sampled_from([["stories", "new"], ["home", "tip"], ["crisis", "extra"],
                                    ["extra", "deep", "key"]]))
        return _json(text, key)
    if form == "po":
        return _po(text, draw(st.booleans()), draw(st.booleans()))
    return _android(text)


def test_an_unsafe_string_is_never_hidden() -> None:
    passes(CHECK, [File("s", "ui-strings", "en.json", json.dumps(BASE).encode())],
           pack_dir=PACK)

    def relation(case: object) -> None:
        name, data = case  # type: ignore[misc]
        got = never_passes(CHECK, [File("s", "ui-strings", name, data)], pack_dir=PACK)
        assert got is Outcome.FAIL

    run_relation(with_unsafe(), relation)
