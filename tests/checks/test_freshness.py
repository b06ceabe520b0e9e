from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from p0gate.checks.document import DocumentCheck
from p0gate.checks.freshness import FreshnessCheck
from p0gate.errors import EvidenceError
from p0gate.evidence.bundle import load_manifest
from p0gate.outcome import Outcome
from tests.bundlekit import NOW, File, make_bundle, run_check


def bundle_at(tmp_path: Path, ages_days: dict[str, float], data: bytes = b"report"):  # type: ignore[no-untyped-def]
    make_bundle(tmp_path, [File(k, "document", f"{k}.txt", data) for k in ages_days])
    manifest = yaml.safe_load((tmp_path / "manifest.yaml").read_text())
    for entry in manifest["artifacts"]:
        when = NOW - timedelta(days=ages_days[entry["id"]])
        entry["collected_at"] = when.isoformat()
    (tmp_path / "manifest.yaml").write_text(yaml.safe_dump(manifest))
    from p0gate.evidence.bundle import Bundle

    model, digest = load_manifest(tmp_path)
    return Bundle(tmp_path, model, digest)


def test_freshness_pass_fail(tmp_path: Path) -> None:
    bundle = bundle_at(tmp_path, {"a": 1, "b": 10})
    fresh = FreshnessCheck(type="freshness", kind="document", max_age_days=14)
    assert run_check(fresh, bundle).outcome is Outcome.PASS
    stale = FreshnessCheck(type="freshness", kind="document", max_age_days=7)
    result = run_check(stale, bundle)
    assert result.outcome is Outcome.FAIL and "b" in result.message
    assert result.measured["oldest_age_days"] == 10


def test_future_evidence_is_an_error(tmp_path: Path) -> None:
    bundle = bundle_at(tmp_path, {"a": -2})
    with pytest.raises(EvidenceError, match="after the evaluation time"):
        run_check(FreshnessCheck(type="freshness", artifact="a", max_age_days=7), bundle)


def test_nothing_selected(tmp_path: Path) -> None:
    bundle = bundle_at(tmp_path, {"a": 1})
    check = FreshnessCheck(type="freshness", kind="sarif", max_age_days=7)
    assert run_check(check, bundle).outcome is Outcome.INCONCLUSIVE


def test_document_present_young_and_not_empty(tmp_path: Path) -> None:
    bundle = bundle_at(tmp_path / "ok", {"pentest": 20})
    young = DocumentCheck(type="document", artifact="pentest", max_age_days=90)
    assert run_check(young, bundle).outcome is Outcome.PASS
    old = DocumentCheck(type="document", artifact="pentest", max_age_days=7)
    assert run_check(old, bundle).outcome is Outcome.FAIL
    empty = bundle_at(tmp_path / "empty", {"pentest": 1}, b"")
    result = run_check(DocumentCheck(type="document", artifact="pentest"), empty)
    assert result.outcome is Outcome.FAIL and "empty" in result.message
    missing = DocumentCheck(type="document", artifact="runbook")
    assert run_check(missing, bundle).outcome is Outcome.INCONCLUSIVE


def test_document_tampered_after_sealing_raises(tmp_path: Path) -> None:
    bundle = bundle_at(tmp_path, {"pentest": 1})
    (tmp_path / "pentest.txt").write_bytes(b"edited")
    with pytest.raises(EvidenceError, match="sha256 mismatch"):
        run_check(DocumentCheck(type="document", artifact="pentest"), bundle)
