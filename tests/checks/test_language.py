"""The language check with the pack's safe-messaging lexicon."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from p0gate.checks.language import LanguageCheck
from p0gate.checks.pack_files import PackFolder
from p0gate.errors import InputError
from p0gate.outcome import CheckResult, Outcome
from p0gate.policy import load_pack
from p0gate.textmatch import Phrase
from tests.bundlekit import File, make_bundle, run_check
from tests.conftest import POLICIES, TEST_DATA

STRINGS = TEST_DATA / "strings"
LEXICON = "lexicons/safe-messaging.yaml"


def _run(tmp_path: Path, params: dict[str, object], *names: str) -> CheckResult:
    pack = tmp_path / "pack"
    (pack / "lexicons").mkdir(parents=True)
    shutil.copy(POLICIES / LEXICON, pack / LEXICON)
    bundle = make_bundle(tmp_path / "bundle", [
        File(name.replace(".", "-"), "ui-strings", name, (STRINGS / name).read_bytes())
        for name in names])
    check = LanguageCheck.model_validate({"type": "language", "lexicon": LEXICON, **params})
    assert check.pack_problems(PackFolder(pack)) == []
    return run_check(check, bundle, pack_dir=pack)


CRISIS = {"required_phrases": ["call or text 988"], "keys": ["crisis.*", "crisis_*"]}


def test_clean_strings_pass_with_required_phrase(tmp_path: Path) -> None:
    got = _run(tmp_path, CRISIS, "en.json")
    assert got.outcome is Outcome.PASS, got.message
    assert got.measured == {"strings": 7, "hits": 0, "missing_phrases": 0}


def test_hits_name_file_and_key(tmp_path: Path) -> None:
    got = _run(tmp_path, CRISIS, "en-bad.json")
    assert got.outcome is Outcome.FAIL
    assert got.measured["hits"] == 4
    assert (
        "en-bad.json: stories.loss: 'committed suicide' (prefer 'died by suicide')" in got.message
    )
    assert "en-bad.json: crisis.options.2: 'press 3'" in got.message
    assert "stories.news: 'suicide epidemic'" in got.message
    assert "stories.news: 'skyrocketing'" in got.message


def test_po_and_android_files(tmp_path: Path) -> None:
    got = _run(tmp_path, CRISIS, "es.po", "strings.xml")
    assert got.outcome is Outcome.FAIL
    assert "es.po: He committed suicide: 'committed suicide'" in got.message
    assert "strings.xml: crisis_youth: 'press 3'" in got.message
    assert "strings.xml: coping.1: 'suicidal person'" in got.message
    assert got.measured["missing_phrases"] == 0  # strings.xml crisis_call has it


def test_missing_required_phrase_fails(tmp_path: Path) -> None:
    got = _run(
        tmp_path,
        {"required_phrases": ["call or text 988", "988lifeline.org"], "keys": ["home.*"]},
        "en.json",
    )
    assert got.outcome is Outcome.FAIL
    assert "required phrases missing from keys home.*" in got.message
    assert got.measured["missing_phrases"] == 2


def test_max_hits_allows_a_budget(tmp_path: Path) -> None:
    assert _run(tmp_path, {"max_hits": 4}, "en-bad.json").outcome is Outcome.PASS


def test_keys_that_match_nothing_are_inconclusive(tmp_path: Path) -> None:
    got = _run(tmp_path, {"required_phrases": ["call or text 988"], "keys": ["nope.*"]}, "en.json")
    assert got.outcome is Outcome.INCONCLUSIVE


def test_whole_words_any_case_any_spacing() -> None:
    phrase = Phrase.of("press 3")
    assert phrase.found_in("LGBTQ+ youth, PRESS  3.")
    assert not phrase.found_in("press 30 times")
    assert not phrase.found_in("express 3")
    assert Phrase.of("committed suicide").found_in("Committed\nSuicide")


def test_missing_lexicon_is_a_pack_problem(tmp_path: Path) -> None:
    check = LanguageCheck.model_validate({"type": "language", "lexicon": "nope.yaml"})
    assert check.pack_problems(PackFolder(tmp_path)) == [
        "lexicon file 'nope.yaml' not found in the pack"]
    outside = LanguageCheck.model_validate({"type": "language", "lexicon": "../x.yaml"})
    assert "inside the pack" in outside.pack_problems(PackFolder(tmp_path))[0]
    (tmp_path / "bad.yaml").write_text(
        "apiVersion: p0gate/v1\nkind: Lexicon\nname: x\nentries: [{avoid: a}]\n"
    )
    bad = LanguageCheck.model_validate({"type": "language", "lexicon": "bad.yaml"})
    assert "is invalid" in bad.pack_problems(PackFolder(tmp_path))[0]


def test_missing_lexicon_fails_pack_load(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_bytes((POLICIES / "pack.yaml").read_bytes())
    (tmp_path / "clinical.yaml").write_text(
        yaml.safe_dump(
            {
                "apiVersion": "p0gate/v1",
                "kind": "PolicySet",
                "metadata": {"name": "c", "authority": "clinical"},
                "controls": [
                    {
                        "id": "CL-3-X",
                        "title": "t",
                        "severity": "high",
                        "blocking": True,
                        "gates": ["beta"],
                        "check": {"type": "language", "lexicon": "lexicons/missing.yaml"},
                    }
                ],
            }
        )
    )
    with pytest.raises(InputError, match=r"lexicons/missing\.yaml"):
        load_pack(tmp_path)


def _strings(tmp_path: Path, params: dict[str, object], doc: dict[str, object],
             lexicon: str | None = None) -> CheckResult:
    import json

    pack = tmp_path / "pack"
    (pack / "lexicons").mkdir(parents=True)
    if lexicon is None:
        shutil.copy(POLICIES / LEXICON, pack / LEXICON)
    else:
        (pack / LEXICON).write_text(lexicon)
    bundle = make_bundle(tmp_path / "bundle",
                         [File("s", "ui-strings", "en.json", json.dumps(doc).encode())])
    check = LanguageCheck.model_validate({"type": "language", "lexicon": LEXICON, **params})
    return run_check(check, bundle, pack_dir=pack)


@pytest.mark.parametrize("text", [
    "He commits suicide", "she committed\u00a0suicide", "COMMITTING SUICIDE",
    "com\u200bmitted sui\u00adcide", "committed <b>suicide</b>", "committed&nbsp;suicide",
    "committed\\u0020suicide", "ｃｏｍｍｉｔｔｅｄ suicide", "\u202bcommitted suicide\u202c",
    "commit<br/>suicide",
])
def test_unsafe_phrases_are_found_however_they_are_written(tmp_path: Path, text: str) -> None:
    got = _strings(tmp_path, {}, {"story": {"body": text}})
    assert got.outcome is Outcome.FAIL, text
    assert "story.body: 'commit" in got.message


@pytest.mark.parametrize("text", [
    "LGBTQ+ youth can press 3", "Press three for the youth line", "Choose option 3",
    "Text PRIDE to 678-678", "or reply PRIDE", "Texting PRIDE reaches a counselor",
    "press&nbsp;3", "option #3",
])
def test_the_retired_988_options_are_hits(tmp_path: Path, text: str) -> None:
    assert _strings(tmp_path, {}, {"crisis": {"youth": text}}).outcome is Outcome.FAIL, text


def test_hits_are_reported_when_the_control_is_inconclusive_for_another_reason(
        tmp_path: Path) -> None:
    doc = {"home": {"a": "He committed suicide", "b": "call or text 988"}}
    failing = _strings(tmp_path / "f", {"required_phrases": ["call or text 988"],
                                        "keys": ["crisis.*"]}, doc)
    assert failing.outcome is Outcome.FAIL  # a hit over max_hits is a failure either way
    assert "home.a: 'committed suicide'" in failing.message
    allowed = _strings(tmp_path / "a", {"max_hits": 1, "required_phrases": ["call or text 988"],
                                        "keys": ["crisis.*"]}, doc)
    assert allowed.outcome is Outcome.INCONCLUSIVE
    assert "home.a: 'committed suicide'" in allowed.message


def test_required_phrases_are_read_as_a_person_reads_them(tmp_path: Path) -> None:
    doc = {"crisis": {"cta": "Call or <b>text</b>&nbsp;988"}}
    got = _strings(tmp_path, {"required_phrases": ["call or text 988"], "keys": ["crisis.*"]},
                   doc)
    assert got.outcome is Outcome.PASS
    broken = {"crisis": {"cta": "Call or te\u200bxt 98 8"}}
    got = _strings(tmp_path / "b", {"required_phrases": ["call or text 988"],
                                    "keys": ["crisis.*"]}, broken)
    assert got.outcome is Outcome.FAIL


LEXICON_WITH_REGEX = """\
apiVersion: p0gate/v1
kind: Lexicon
name: t
entries:
  - avoid: hotline number
    prefer: "988"
    regex: 'hot\\s*line\\s*(?:no\\.?|number|#)'
"""


def test_messages_name_the_entry_never_its_regex(tmp_path: Path) -> None:
    got = _strings(tmp_path, {}, {"a": "Our HOTLINE # is"}, LEXICON_WITH_REGEX)
    assert got.outcome is Outcome.FAIL and "'hotline number'" in got.message
    assert "\\s" not in got.message and "(?:" not in got.message


@pytest.mark.parametrize(("entry", "words"), [
    ("{avoid: x, prefer: y, regex: '(unclosed'}", "not a valid regular expression"),
    ("{avoid: x, prefer: y, forms: 3}", "forms"),
])
def test_lexicon_entries_are_checked_when_the_pack_loads(tmp_path: Path, entry: str,
                                                         words: str) -> None:
    (tmp_path / "bad.yaml").write_text(
        f"apiVersion: p0gate/v1\nkind: Lexicon\nname: x\nentries: [{entry}]\n")
    check = LanguageCheck.model_validate({"type": "language", "lexicon": "bad.yaml"})
    (problem,) = check.pack_problems(PackFolder(tmp_path))
    assert words in problem


def test_po_source_text_of_a_translation_is_checked(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    (pack / "lexicons").mkdir(parents=True)
    shutil.copy(POLICIES / LEXICON, pack / LEXICON)
    po = b'msgid "He committed suicide"\nmsgstr "Murio por suicidio"\n'
    bundle = make_bundle(tmp_path / "bundle", [File("s", "ui-strings", "es.po", po)])
    check = LanguageCheck.model_validate({"type": "language", "lexicon": LEXICON})
    got = run_check(check, bundle, pack_dir=pack)
    assert got.outcome is Outcome.FAIL and "He committed suicide: 'committed" in got.message


@pytest.mark.parametrize(("text", "entry"), [
    ("He commіtted suіcide", "'committed suicide'"),  # Cyrillic і
    ("Ѕuicide epidemic", "'suicide epidemic'"),  # Cyrillic Ѕ
    ("LGBTQ+ youth can prеss 3", "'press 3'"),  # Cyrillic е, found by the regex entry
    ("Text PRΙDE to 678-678", "'text PRIDE'"),  # Greek capital iota
    ("a fаiled attempt", "'failed attempt'"),  # Cyrillic а
])
def test_look_alike_letters_are_hits_and_say_so(tmp_path: Path, text: str, entry: str) -> None:
    got = _strings(tmp_path, {}, {"story": {"body": text}})
    assert got.outcome is Outcome.FAIL, text
    assert f"story.body: {entry} (written with look-alike letters)" in got.message


def test_a_hit_as_written_is_not_called_a_look_alike(tmp_path: Path) -> None:
    got = _strings(tmp_path, {}, {"story": {"body": "committed suicide", "x": "suіcide epidemic"}})
    assert "story.body: 'committed suicide' (prefer" in got.message
    assert "story.x: 'suicide epidemic' (written with look-alike letters)" in got.message


def test_a_required_phrase_in_look_alike_letters_is_missing(tmp_path: Path) -> None:
    """Fail closed: 'саll or text 988' with Cyrillic letters is not the phrase a screen reader
    or a search finds, so it does not count as present."""
    doc = {"crisis": {"cta": "Cаll or tеxt 988"}}
    got = _strings(tmp_path, {"required_phrases": ["call or text 988"], "keys": ["crisis.*"]},
                   doc)
    assert got.outcome is Outcome.FAIL and "required phrases missing" in got.message
