"""The language check with the pack's safe-messaging lexicon."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from p0gate.checks.language import LanguageCheck, phrase_pattern
from p0gate.checks.pack_files import PackFolder
from p0gate.errors import InputError
from p0gate.outcome import CheckResult, Outcome
from p0gate.policy import load_pack
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
    pattern = phrase_pattern("press 3")
    assert pattern.search("LGBTQ+ youth, PRESS  3.")
    assert not pattern.search("press 30 times")
    assert not pattern.search("express 3")
    assert phrase_pattern("committed suicide").search("Committed\nSuicide")


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
                        "phases": ["beta"],
                        "check": {"type": "language", "lexicon": "lexicons/missing.yaml"},
                    }
                ],
            }
        )
    )
    with pytest.raises(InputError, match=r"lexicons/missing\.yaml"):
        load_pack(tmp_path)
