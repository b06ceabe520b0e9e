"""The prior-phase check over real results of the evaluator."""

from __future__ import annotations

from pathlib import Path

import pytest

from p0gate.checks.prior_phase import PriorPhaseCheck
from p0gate.errors import EvidenceError
from p0gate.evaluate import evaluate
from p0gate.outcome import Outcome
from p0gate.policy import load_pack
from tests.bundlekit import NOW, File, make_bundle, run_check

POLICY = """apiVersion: p0gate/v1
kind: PolicySet
metadata: {name: d, authority: compliance}
controls:
  - {id: D-1-DOC, title: doc, severity: high, blocking: true, phases: [beta],
     check: {type: document, artifact: doc}}
"""


def beta_result(tmp_path: Path, *, with_doc: bool, system: str = "p0-cloud-sync") -> bytes:
    (tmp_path / "pack").mkdir(exist_ok=True)
    (tmp_path / "pack" / "d.yaml").write_text(POLICY)
    files = (
        [File("doc", "document", "doc.txt", b"x")]
        if with_doc
        else [File("other", "document", "o.txt", b"x")]
    )
    bundle = make_bundle(tmp_path / f"beta-{with_doc}-{system}", files, system=system, phase="beta")
    result = evaluate(load_pack(tmp_path / "pack"), bundle, phase="beta", now=NOW)
    return result.canonical()


def judged(tmp_path: Path, raw: bytes, phase: str = "beta") -> tuple[Outcome, str]:
    bundle = make_bundle(tmp_path / "staging", [File("prior", "prior-result", "prior.json", raw)])
    found = run_check(
        PriorPhaseCheck.model_validate({"type": "prior-phase", "phase": phase}), bundle
    )
    return found.outcome, found.message


def test_go_for_the_phase_passes(tmp_path: Path) -> None:
    assert judged(tmp_path, beta_result(tmp_path, with_doc=True))[0] is Outcome.PASS


def test_no_go_fails(tmp_path: Path) -> None:
    outcome, message = judged(tmp_path, beta_result(tmp_path, with_doc=False))
    assert outcome is Outcome.FAIL and "is NO-GO" in message


def test_other_phase_or_system_fails(tmp_path: Path) -> None:
    outcome, message = judged(tmp_path, beta_result(tmp_path, with_doc=True), "staging")
    assert outcome is Outcome.FAIL and "decides the beta gate" in message
    raw = beta_result(tmp_path, with_doc=True, system="another-app")
    outcome, message = judged(tmp_path / "o", raw)
    assert outcome is Outcome.FAIL and "about another-app" in message


def test_edited_result_is_an_evidence_error(tmp_path: Path) -> None:
    raw = beta_result(tmp_path, with_doc=False).replace(b'"NO-GO"', b'"GO"')
    with pytest.raises(EvidenceError, match="digest does not match"):
        judged(tmp_path, raw)


def test_no_prior_result_is_inconclusive(tmp_path: Path) -> None:
    bundle = make_bundle(tmp_path, [File("doc", "document", "doc.txt", b"x")])
    check = PriorPhaseCheck.model_validate({"type": "prior-phase", "phase": "beta"})
    assert run_check(check, bundle).outcome is Outcome.INCONCLUSIVE
