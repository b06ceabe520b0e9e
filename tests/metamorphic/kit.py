"""The metamorphic relation and the strategies that vary how producers write one item.

Every test takes passing evidence (real files where the project has them), checks that it
passes, then adds ONE failing item written in one of the ways the producing tool (or an
attacker) may write it, and asserts the control never passes: ``fail``, ``error`` or
``inconclusive`` are all fine, ``pass`` is a wrong GO.

``make test`` runs each relation briefly (derandomized, so a run is reproducible);
``make fuzz`` (P0GATE_FUZZ=long) runs them at length (P0GATE_FUZZ_EXAMPLES, default 3000).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st

from p0gate.checks import base
from p0gate.checks.base import CheckParams, Outcome
from p0gate.errors import EvidenceError
from tests.bundlekit import File, make_bundle, run_check
from tests.fuzz.corpus import FUZZ, LONG

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
EXAMPLES = ROOT / "evidence" / "examples"
EXAMPLE = EXAMPLES / "lifecycle" / "02-beta"  # a full bundle of beta evidence
# The fuzz targets' settings (derandomized when short); each relation is cheap, so more
# examples in the short run.
RELATION = settings(FUZZ, max_examples=FUZZ.max_examples if LONG else 50)

SPACES = [" ", "\t", "\u00a0", "\u2002", "\u2003", "\u2009", "\u202f", "\u3000", "\u1680"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f",
             "\u202a", "\u202c", "\u2066", "\u2069"]


def outcome(check: CheckParams, files: list[File], **kw: object) -> Outcome:
    """The control's outcome on a fresh bundle of ``files`` (an artifact error is ``error``)."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            return run_check(check, make_bundle(Path(tmp), files), **kw).outcome  # type: ignore[arg-type]
        except EvidenceError:
            return Outcome.ERROR


def never_passes(check: CheckParams, files: list[File], **kw: object) -> Outcome:
    """The relation: the control does not pass. Returns the outcome, so a test can insist on
    ``fail`` where the item is unambiguous (an ``error`` there would hide a reader gap)."""
    got = outcome(check, files, **kw)
    assert got is not base.Outcome.PASS, "a failing item was hidden: the control passed"
    return got


def passes(check: CheckParams, files: list[File], **kw: object) -> None:
    """The relation's premise: the untouched evidence passes (so a non-pass means something)."""
    assert outcome(check, files, **kw) is Outcome.PASS


def spaces() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(SPACES), max_size=3).map("".join)


@st.composite
def respelled(draw: st.DrawFn, word: str) -> str:
    """``word`` as producers vary it: case, full-width letters, an invisible character
    inside, spaces around. ``textmatch.fold`` of the result is ``fold(word)``."""
    letters = [c.upper() if draw(st.booleans()) else c.lower() for c in word]
    if draw(st.booleans()):
        letters = [chr(ord(c) + 0xFEE0) if "!" <= c <= "~" and draw(st.booleans()) else c
                   for c in letters]
    if draw(st.booleans()) and letters:
        at = draw(st.integers(0, len(letters)))
        letters.insert(at, draw(st.sampled_from(INVISIBLE)))
    return draw(spaces()) + "".join(letters) + draw(spaces())


def shuffled(items: list[tuple[str, object]]) -> st.SearchStrategy[list[tuple[str, object]]]:
    return st.permutations(items)


def run_relation(strategy: st.SearchStrategy[object], body: Callable[[object], None]) -> None:
    """Run ``body`` on examples of ``strategy`` under the suite's settings."""
    from hypothesis import given

    RELATION(given(strategy)(body))()
