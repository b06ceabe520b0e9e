from pathlib import Path

import pytest

from p0gate.checks.document import DocumentCheck
from p0gate.errors import EvidenceError
from p0gate.outcome import Outcome
from tests.bundlekit import aged_bundle, run_check


def test_document_present_young_and_not_empty(tmp_path: Path) -> None:
    bundle = aged_bundle(tmp_path / "ok", {"pentest": 20})
    young = DocumentCheck(type="document", artifact="pentest", max_age_days=90)
    assert run_check(young, bundle).outcome is Outcome.PASS
    old = DocumentCheck(type="document", artifact="pentest", max_age_days=7)
    assert run_check(old, bundle).outcome is Outcome.FAIL
    empty = aged_bundle(tmp_path / "empty", {"pentest": 1}, b"")
    result = run_check(DocumentCheck(type="document", artifact="pentest"), empty)
    assert result.outcome is Outcome.FAIL and "empty" in result.message
    missing = DocumentCheck(type="document", artifact="runbook")
    assert run_check(missing, bundle).outcome is Outcome.INCONCLUSIVE


def test_document_tampered_after_sealing_raises(tmp_path: Path) -> None:
    bundle = aged_bundle(tmp_path, {"pentest": 1})
    (tmp_path / "pentest.txt").write_bytes(b"edited")
    with pytest.raises(EvidenceError, match="sha256 mismatch"):
        run_check(DocumentCheck(type="document", artifact="pentest"), bundle)
