"""Lexicons: the pack's phrase lists, loaded as p0gate/v1 documents."""

from pathlib import Path

import pytest

from p0gate.checks.lexicon import Lexicon, load_lexicon
from p0gate.errors import InputError
from tests.conftest import POLICIES


def test_the_default_pack_lexicon_loads() -> None:
    lexicon = load_lexicon(POLICIES / "lexicons" / "safe-messaging.yaml")
    assert isinstance(lexicon, Lexicon) and lexicon.kind == "Lexicon"
    assert any(e.avoid == "committed suicide" and e.prefer == "died by suicide"
               for e in lexicon.entries)


@pytest.mark.parametrize(("body", "words", "line"), [
    ("apiVersion: p0gate/v1\nkind: Lexicon\nname: x\nentries: []\n", "at least 1 item", 4),
    ("apiVersion: p0gate/v1\nkind: Lexicon\nname: x\nentries:\n  - {avoid: a}\n", "prefer", 5),
    ("apiVersion: p0gate/v1\nkind: PolicySet\nname: x\nentries: [{avoid: a, prefer: b}]\n",
     "Lexicon", 2),
])
def test_an_invalid_lexicon_names_the_line(tmp_path: Path, body: str, words: str,
                                           line: int) -> None:
    (tmp_path / "l.yaml").write_text(body)
    with pytest.raises(InputError, match=words) as info:
        load_lexicon(tmp_path / "l.yaml")
    assert info.value.location is not None and info.value.location.line == line
