"""The prior-phase check: the release's history (ledger rows, verified prior reports) shows
GO at the earlier gate for the same system and version."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from p0gate.checks.prior_phase import PriorPhaseCheck
from p0gate.history import History, PriorDecision
from p0gate.outcome import Outcome
from tests.bundlekit import NOW, File, make_bundle, run_check

CHECK = PriorPhaseCheck.model_validate({"type": "prior-phase", "gate": "beta"})


def judged(tmp_path: Path, *rows: PriorDecision, history: bool = True,
           check: PriorPhaseCheck = CHECK) -> tuple[Outcome, str]:
    bundle = make_bundle(tmp_path, [File("doc", "document", "doc.txt", b"x")])
    found = run_check(check, bundle, history=History(rows) if history else None)
    return found.outcome, found.message


def row(decision: str = "GO", *, gate: str = "beta", version: str = "1.0.0",
        system: str = "p0-cloud-sync", days: float = 8) -> PriorDecision:
    return PriorDecision(system, version, gate, decision, NOW - timedelta(days=days),
                         "ledger row 3")


def test_a_go_of_this_release_at_the_gate_passes(tmp_path: Path) -> None:
    outcome, message = judged(tmp_path, row())
    assert outcome is Outcome.PASS and "beta GO at 2025-09-23T12:00:00Z (ledger row 3)" in message


@pytest.mark.parametrize(("rows", "outcome", "words"), [
    ((row("NO-GO"),), Outcome.FAIL, "the last decision at the beta gate is NO-GO"),
    ((row(), row("NO-GO", days=1)), Outcome.FAIL, "is NO-GO"),
    ((row(), row("ROLLBACK", gate="staging", days=2)), Outcome.FAIL, "was rolled back"),
    ((row(version="0.9.0"),), Outcome.INCONCLUSIVE, "no decision at the beta gate for "
                                                    "p0-cloud-sync 1.0.0"),
    ((row(system="another-app"),), Outcome.INCONCLUSIVE, "no decision at the beta gate"),
    ((row(gate="staging"),), Outcome.INCONCLUSIVE, "no decision at the beta gate"),
    ((row(days=-1),), Outcome.INCONCLUSIVE, "no decision"),  # after the evaluation time
])
def test_anything_but_a_standing_go_is_not_a_pass(tmp_path: Path, rows: tuple[PriorDecision, ...],
                                                 outcome: Outcome, words: str) -> None:
    got, message = judged(tmp_path, *rows)
    assert got is outcome and words in message


def test_re_evaluations_do_not_restart_the_clock(tmp_path: Path) -> None:
    outcome, message = judged(tmp_path, row(days=9), row(days=2))
    assert outcome is Outcome.PASS and "2025-09-22T12:00:00Z" in message


def test_without_a_history_it_is_inconclusive(tmp_path: Path) -> None:
    outcome, message = judged(tmp_path, history=False)
    assert outcome is Outcome.INCONCLUSIVE and "no decision ledger" in message


def test_notes_say_why_a_prior_result_was_not_counted(tmp_path: Path) -> None:
    bundle = make_bundle(tmp_path, [File("doc", "document", "doc.txt", b"x")])
    past = History((), ("prior-result p is a result JSON, which proves nothing on its own",))
    found = run_check(CHECK, bundle, history=past)
    assert found.outcome is Outcome.INCONCLUSIVE and "not counted: prior-result p" in (
        found.message)


def test_phase_is_the_old_name_of_gate() -> None:
    old = PriorPhaseCheck.model_validate({"type": "prior-phase", "phase": "staging"})
    assert old.earlier == "staging" and old.gates() == ["staging"] and CHECK.gates() == ["beta"]
    for params in ({"type": "prior-phase"}, {"type": "prior-phase", "gate": "a", "phase": "b"}):
        with pytest.raises(ValidationError, match="name the earlier gate once"):
            PriorPhaseCheck.model_validate(params)
