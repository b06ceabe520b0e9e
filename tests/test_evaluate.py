import shutil
from pathlib import Path

import pytest

from p0gate.checks.base import CheckContext
from p0gate.evaluate import evaluate
from p0gate.evidence.bundle import open_bundle
from p0gate.outcome import CheckResult, Outcome
from p0gate.policy import load_pack
from p0gate.result import Result
from tests.bundlekit import NOW, File, make_bundle
from tests.conftest import EXAMPLES, POLICIES

PACK = load_pack(POLICIES)


def run(bundle_dir: Path, phase: str = "beta") -> Result:
    with open_bundle(bundle_dir) as bundle:
        return evaluate(PACK, bundle, phase=phase, now=NOW)  # type: ignore[arg-type]


def outcomes(result: Result) -> dict[str, Outcome]:
    return {c.id: c.outcome for c in result.controls}


def test_beta_go_example() -> None:
    result = run(EXAMPLES / "beta-go")
    got = outcomes(result)
    assert result.decision == "GO" and not result.rollback
    assert got["CR-1-LATENCY"] is Outcome.PASS and got["CR-10-LOAD"] is Outcome.NOT_APPLICABLE
    assert sum(result.counts.values()) == len(PACK.controls)


def test_beta_no_go_example_fails_crisis_and_more() -> None:
    result = run(EXAMPLES / "beta-no-go")
    got = outcomes(result)
    assert result.decision == "NO-GO" and result.rollback
    assert got["CR-1-LATENCY"] is Outcome.FAIL and got["CR-2-MAX"] is Outcome.FAIL
    assert got["CR-9-SAFETY-INCIDENTS"] is Outcome.FAIL and got["PF-1-SYNC"] is Outcome.FAIL
    crisis = next(c for c in result.controls if c.id == "CR-2-MAX")
    assert crisis.alert_level == "emergency" and crisis.rollback
    assert crisis.evidence[0].id == "crisis-latency" and len(crisis.evidence[0].sha256 or "") == 64


def test_same_inputs_give_byte_identical_results() -> None:
    first, second = run(EXAMPLES / "beta-go"), run(EXAMPLES / "beta-go")
    assert first.canonical() == second.canonical()
    assert first.digest == second.digest and len(first.digest) == 64


def test_tampered_artifact_is_error_and_no_go(tmp_path: Path) -> None:
    copy = tmp_path / "bundle"
    shutil.copytree(EXAMPLES / "beta-go", copy)
    with (copy / "crisis" / "latency.csv").open("a") as handle:
        handle.write("r999999,1.000\n")
    result = run(copy)
    got = outcomes(result)
    assert got["CR-1-LATENCY"] is Outcome.ERROR and got["CR-2-MAX"] is Outcome.ERROR
    assert "sha256 mismatch" in next(c.message for c in result.controls if c.id == "CR-2-MAX")
    assert result.decision == "NO-GO"


def test_missing_artifact_is_inconclusive_and_blocks(tmp_path: Path) -> None:
    copy = tmp_path / "bundle"
    shutil.copytree(EXAMPLES / "beta-go", copy)
    manifest = (copy / "manifest.yaml").read_text().replace("id: crisis-tests", "id: other")
    (copy / "manifest.yaml").write_text(manifest)
    result = run(copy)
    assert outcomes(result)["CR-5-988"] is Outcome.INCONCLUSIVE
    assert result.decision == "NO-GO"


def test_overrides_change_the_production_requirement() -> None:
    result = run(POLICIES / "tests" / "bundles" / "production-pass", "production")
    feedback = next(c for c in result.controls if c.id == "US-1-FEEDBACK")
    assert feedback.required == {"feedback.mean_rating": "> 4.7"}


def test_a_check_that_reads_only_the_manifest_still_needs_verified_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever a check reads, the evaluator verifies every artifact it selected: a check
    that trusted ``collected_at`` without the bytes (as freshness once did) is an error."""
    from p0gate.checks.freshness import FreshnessCheck

    def manifest_only(self: FreshnessCheck, ctx: CheckContext) -> CheckResult:
        ctx.select(self)
        return CheckResult(Outcome.PASS, "trusted the manifest")

    monkeypatch.setattr(FreshnessCheck, "run", manifest_only)
    pack_dir = tmp_path / "pack"
    pack_dir.mkdir()
    (pack_dir / "p.yaml").write_text(FRESH_PACK)
    bundle = make_bundle(tmp_path / "b", [File("doc", "document", "doc.txt", b"runbook")])
    (bundle.root / "doc.txt").write_bytes(b"rUnbook")
    result = evaluate(load_pack(pack_dir), bundle, phase="beta", now=NOW)
    control = result.controls[0]
    assert control.outcome is Outcome.ERROR and "sha256 mismatch" in control.message
    assert result.decision == "NO-GO"


FRESH_PACK = """\
apiVersion: p0gate/v1
kind: PolicySet
metadata: {name: fresh, authority: governance}
controls:
  - id: GOV-FRESH
    title: fresh runbook
    severity: high
    blocking: true
    phases: [beta]
    check: {type: freshness, artifact: doc, max_age_days: 30}
"""
