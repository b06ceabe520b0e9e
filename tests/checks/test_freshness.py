from pathlib import Path

import pytest

from p0gate.checks.freshness import FreshnessCheck
from p0gate.errors import EvidenceError
from p0gate.evidence.bundle import Bundle
from p0gate.outcome import Outcome
from tests.bundlekit import aged_bundle, run_check


def test_freshness_pass_fail(tmp_path: Path) -> None:
    bundle = aged_bundle(tmp_path, {"a": 1, "b": 10})
    fresh = FreshnessCheck(type="freshness", kind="document", max_age_days=14)
    assert run_check(fresh, bundle).outcome is Outcome.PASS
    stale = FreshnessCheck(type="freshness", kind="document", max_age_days=7)
    result = run_check(stale, bundle)
    assert result.outcome is Outcome.FAIL and "b" in result.message
    assert result.measured["oldest_age_days"] == 10


def test_future_evidence_is_an_error(tmp_path: Path) -> None:
    bundle = aged_bundle(tmp_path, {"a": -2})
    with pytest.raises(EvidenceError, match="after the evaluation time"):
        run_check(FreshnessCheck(type="freshness", artifact="a", max_age_days=7), bundle)


def test_nothing_selected(tmp_path: Path) -> None:
    bundle = aged_bundle(tmp_path, {"a": 1})
    check = FreshnessCheck(type="freshness", kind="sarif", max_age_days=7)
    assert run_check(check, bundle).outcome is Outcome.INCONCLUSIVE


def _unsealed(bundle: Bundle) -> Bundle:
    arts = [a.model_copy(update={"sha256": None}) for a in bundle.manifest.artifacts]
    bundle.manifest = bundle.manifest.model_copy(update={"artifacts": arts})
    return bundle


def _escaping(bundle: Bundle) -> Bundle:
    outside = bundle.root.parent / "outside.txt"
    outside.write_bytes(b"report")
    (bundle.root / "a.txt").unlink()
    (bundle.root / "a.txt").symlink_to(outside)
    return bundle


BROKEN = {
    "missing": (lambda b: (b.root / "a.txt").unlink() or b, "not found"),
    "tampered": (lambda b: (b.root / "a.txt").write_bytes(b"repOrt") or b, "sha256 mismatch"),
    "unsealed": (_unsealed, "no sha256"),
    "escaping": (_escaping, "leads out of the bundle"),
}


@pytest.mark.parametrize("how", sorted(BROKEN))
@pytest.mark.parametrize("select", ["artifact", "kind"])
def test_freshness_reads_only_verified_artifacts(how: str, select: str, tmp_path: Path) -> None:
    """A fresh date in the manifest proves nothing when the artifact is not what was sealed."""
    bundle = aged_bundle(tmp_path / "b", {"a": 1})
    damage, words = BROKEN[how]
    damage(bundle)
    where = {"artifact": "a"} if select == "artifact" else {"kind": "document"}
    check = FreshnessCheck(type="freshness", max_age_days=7, **where)  # type: ignore[arg-type]
    with pytest.raises(EvidenceError, match=words):
        run_check(check, bundle)
