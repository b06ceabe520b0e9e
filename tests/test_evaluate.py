"""The evaluator: the default pack on the examples, and the lifecycle rules on small packs
(gates and the evidence they judge, after:, monitor mode, rollback triggers)."""

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from p0gate.checks.base import CheckContext
from p0gate.errors import InputError
from p0gate.evaluate import evaluate, monitor_gaps
from p0gate.evidence.bundle import open_bundle
from p0gate.history import History, PriorDecision
from p0gate.outcome import AlertLevel, CheckResult, Outcome
from p0gate.policy import load_pack
from p0gate.result import Result
from tests.bundlekit import NOW as KIT_NOW
from tests.bundlekit import File, make_bundle
from tests.conftest import EXAMPLES, NOW, POLICIES
from tests.lifecyclekit import CONTROLS, SETTINGS, lifecycle_pack, release

PACK = load_pack(POLICIES)
FIXTURES = POLICIES / "tests" / "bundles"
WHEN = datetime(2025, 10, 1, tzinfo=UTC)  # the small packs' evaluation time


def run(bundle_dir: Path, gate: str = "beta", now: datetime = NOW) -> Result:
    with open_bundle(bundle_dir) as bundle:
        return evaluate(PACK, bundle, gate=gate, now=now)


def outcomes(result: Result) -> dict[str, Outcome]:
    return {c.id: c.outcome for c in result.controls}


def test_the_pre_release_example_is_go_at_the_beta_gate() -> None:
    result = run(EXAMPLES / "lifecycle" / "01-pre-release")
    got = outcomes(result)
    assert result.decision == "GO" and not result.rollback and result.gate == "beta"
    assert got["CR-1-LATENCY"] is Outcome.PASS and got["CR-10-LOAD"] is Outcome.NOT_APPLICABLE
    assert sum(result.counts.values()) == len(PACK.controls)
    assert [a.id for a in result.pack.authorities][:4] == [
        "crisis", "compliance", "clinical", "security"]
    assert result.pack.authorities[0].title == "Crisis Authority"


def test_the_no_go_example_fails_crisis_and_rolls_back() -> None:
    result = run(EXAMPLES / "no-go" / "beta")
    got = outcomes(result)
    assert result.decision == "NO-GO" and result.rollback
    assert got["CR-1-LATENCY"] is Outcome.FAIL and got["CR-2-MAX"] is Outcome.FAIL
    assert got["PF-1-SYNC"] is Outcome.FAIL
    assert got["CR-9-SAFETY-INCIDENTS"] is Outcome.NOT_APPLICABLE  # no incidents before beta
    crisis = next(c for c in result.controls if c.id == "CR-2-MAX")
    assert crisis.alert_level == "emergency" and crisis.rollback
    assert crisis.evidence[0].id == "crisis-latency" and len(crisis.evidence[0].sha256 or "") == 64
    assert result.escalation == []  # the escalation path goes with a monitor ROLLBACK


def test_same_inputs_give_byte_identical_results() -> None:
    first = run(EXAMPLES / "lifecycle" / "01-pre-release")
    second = run(EXAMPLES / "lifecycle" / "01-pre-release")
    assert first.canonical() == second.canonical()
    assert first.digest == second.digest and len(first.digest) == 64


def test_tampered_artifact_is_error_and_no_go(tmp_path: Path) -> None:
    copy = tmp_path / "bundle"
    shutil.copytree(EXAMPLES / "lifecycle" / "01-pre-release", copy)
    with (copy / "crisis" / "latency.csv").open("a") as handle:
        handle.write("r999999,1.000\n")
    result = run(copy)
    got = outcomes(result)
    assert got["CR-1-LATENCY"] is Outcome.ERROR and got["CR-2-MAX"] is Outcome.ERROR
    assert "sha256 mismatch" in next(c.message for c in result.controls if c.id == "CR-2-MAX")
    assert result.decision == "NO-GO" and result.rollback  # an error of a trigger fires it


def test_missing_artifact_is_inconclusive_and_blocks(tmp_path: Path) -> None:
    copy = tmp_path / "bundle"
    shutil.copytree(EXAMPLES / "lifecycle" / "01-pre-release", copy)
    manifest = (copy / "manifest.yaml").read_text().replace("id: crisis-tests", "id: other")
    (copy / "manifest.yaml").write_text(manifest)
    result = run(copy)
    assert outcomes(result)["CR-5-988"] is Outcome.INCONCLUSIVE
    assert result.decision == "NO-GO"


def test_overrides_change_the_requirement_per_gate() -> None:
    early = run(FIXTURES / "beta-pass", "staging", datetime(2025, 9, 28, tzinfo=UTC))
    late = run(FIXTURES / "production-25-pass", "production-50",
               datetime(2025, 10, 21, tzinfo=UTC))
    required = {r.gate: next(c.required for c in r.controls if c.id == "US-1-FEEDBACK")
                for r in (early, late)}
    assert required == {"staging": {"feedback.mean_rating": "> 4.5"},
                        "production-50": {"feedback.mean_rating": "> 4.7"}}


@pytest.mark.parametrize(("bundle", "gate", "words"), [
    ("beta-pass", "beta", "the beta gate judges pre-release evidence; the bundle's "
                          "metadata.phase is beta"),
    ("production-25-pass", "production-75", "the production-75 gate judges the 50% step; the "
                                            "bundle's metadata.rollout_percent is 25"),
    ("post-rollback-pass", "complete", "judges the 100% step"),
])
def test_evidence_of_another_phase_or_step_is_invalid_input(bundle: str, gate: str,
                                                            words: str) -> None:
    with pytest.raises(InputError) as info:
        run(FIXTURES / bundle, gate)
    assert words in info.value.message and "manifest.yaml" in str(info.value.location)
    assert info.value.hint is not None and "evaluate it at" in info.value.hint


def test_an_unknown_gate_is_invalid_input_listing_the_gates() -> None:
    with pytest.raises(InputError, match="no gate 'production'") as info:
        run(FIXTURES / "production-25-pass", "production")
    assert info.value.hint is not None and "production-25, production-50" in info.value.hint


def history(*rows: tuple[str, str, datetime]) -> History:
    return History(tuple(PriorDecision("shop", "2.0.0", gate, decision, when, f"row {i}")
                         for i, (gate, decision, when) in enumerate(rows, start=1)))


def shop(tmp_path: Path, gate: str, *, values: list[float] | None = None,
         past: History | None = None, mode: str = "evaluate") -> Result:
    """A shop-release bundle of the evidence ``gate`` judges, evaluated there at WHEN."""
    pack = load_pack(lifecycle_pack(tmp_path / "pack"))
    phase, percent = {"canary": ("dev", None), "ga": ("canary", None),
                      "rollback-check": ("ga", 100)}[gate]
    with open_bundle(release(tmp_path / "b", phase=phase, percent=percent,
                             values=values or [10.0, 20.0, 30.0]).root) as bundle:
        return evaluate(pack, bundle, gate=gate, now=WHEN, history=past,
                        mode=mode)  # type: ignore[arg-type]


def test_after_is_met_by_a_go_old_enough(tmp_path: Path) -> None:
    result = shop(tmp_path, "ga", past=history(("canary", "GO", WHEN - timedelta(days=3))))
    assert result.decision == "GO" and result.after is not None and result.after.met
    assert result.after.source == "row 1" and outcomes(result)["GV-1-PRIOR"] is Outcome.PASS


@pytest.mark.parametrize(("rows", "words"), [
    ((), "no decision at the canary gate for shop 2.0.0"),
    ((("canary", "NO-GO", WHEN - timedelta(days=3)),), "the last decision at the canary gate "
                                                       "is NO-GO"),
    ((("canary", "GO", WHEN - timedelta(days=1)),), "is 1 days old, 2 required"),
    ((("canary", "GO", WHEN - timedelta(days=5)), ("canary", "ROLLBACK",
                                                   WHEN - timedelta(days=4))), "rolled back"),
    ((("canary", "GO", WHEN + timedelta(days=1)),), "no decision at the canary gate"),
])
def test_after_unmet_is_no_go_naming_what_is_missing(tmp_path: Path, rows: tuple[
        tuple[str, str, datetime], ...], words: str) -> None:
    result = shop(tmp_path, "ga", past=history(*rows))
    assert result.decision == "NO-GO" and result.after is not None and not result.after.met
    assert words in result.after.message
    assert all(c.outcome is not Outcome.FAIL for c in result.controls if c.id != "GV-1-PRIOR")


def test_without_a_history_after_is_unmet_and_prior_phase_inconclusive(tmp_path: Path) -> None:
    result = shop(tmp_path, "ga")
    assert result.decision == "NO-GO" and result.after is not None
    assert "no decision ledger" in result.after.message
    assert outcomes(result)["GV-1-PRIOR"] is Outcome.INCONCLUSIVE


def test_a_gate_without_after_needs_no_history(tmp_path: Path) -> None:
    result = shop(tmp_path, "canary")
    assert result.decision == "GO" and result.after is None


def test_an_emergency_alert_rolls_back_only_for_an_emergency_rollback_authority(
        tmp_path: Path) -> None:
    result = shop(tmp_path / "a", "canary", values=[10.0, 250.0])
    fired = {c.id: (c.alert_level, c.rollback) for c in result.controls}
    assert fired["LAT-1-MAX"] == (AlertLevel.EMERGENCY, True)
    assert result.decision == "NO-GO" and result.rollback
    calm = SETTINGS.replace(", emergency_rollback: true", "")
    pack = load_pack(lifecycle_pack(tmp_path / "p", settings=calm, controls=CONTROLS.replace(
        "rollback_trigger: true", "rollback_trigger: false")))
    with open_bundle(release(tmp_path / "b2", phase="dev", values=[10.0, 250.0]).root) as bundle:
        calm_result = evaluate(pack, bundle, gate="canary", now=WHEN)
    assert not pack.emergency_rollback("ops") and not calm_result.rollback
    assert next(c for c in calm_result.controls if c.id == "LAT-1-MAX").alert_level == "emergency"


def test_monitor_mode_watches_triggers_and_alerts_only(tmp_path: Path) -> None:
    result = shop(tmp_path, "canary", mode="monitor")
    got = outcomes(result)
    assert result.mode == "monitor" and result.decision == "OK" and result.exit_code == 0
    assert got["LAT-1-MAX"] is Outcome.PASS and got["LAT-2-P99"] is Outcome.PASS
    assert got["DOC-1"] is Outcome.NOT_APPLICABLE and result.escalation == []


def test_a_fired_trigger_in_monitor_mode_is_a_rollback_with_the_escalation(tmp_path: Path) -> None:
    result = shop(tmp_path, "canary", values=[10.0, 250.0], mode="monitor")
    assert result.decision == "ROLLBACK" and result.exit_code == 5
    assert [(e.to, e.when) for e in result.escalation] == [
        ("On-call engineer", "Now"), ("Head of operations", "Within 10 minutes")]


def test_monitor_gaps_name_unevaluated_and_stale_triggers(tmp_path: Path) -> None:
    pack = load_pack(lifecycle_pack(tmp_path / "pack"))
    bundle = release(tmp_path / "b", phase="dev", values=[10.0])
    (bundle.root / "manifest.yaml").write_text(
        (bundle.root / "manifest.yaml").read_text().replace("id: latency", "id: other"))
    with open_bundle(bundle.root) as opened:
        result = evaluate(pack, opened, gate="canary", now=WHEN, mode="monitor")
    gaps = monitor_gaps(pack, result, now=WHEN, max_age=None)
    assert result.decision == "OK" and gaps == [
        "trigger LAT-1-MAX was not evaluated: no artifact 'latency' in the bundle"]
    fresh = shop(tmp_path / "c", "canary", mode="monitor")
    stale = monitor_gaps(pack, fresh, now=WHEN, max_age=timedelta(minutes=15))
    assert len(stale) == 1 and "LAT-1-MAX reads latency, collected 2025-09-30T12:00:00Z" in stale[0]
    assert monitor_gaps(pack, fresh, now=WHEN, max_age=timedelta(days=2)) == []
    early = WHEN.replace(year=2024)  # the evidence is dated after the monitoring time
    for max_age in (None, timedelta(days=2)):
        future = monitor_gaps(pack, fresh, now=early, max_age=max_age)
        assert len(future) == 1 and "after the monitoring time" in future[0]


def test_a_simple_pack_takes_any_evidence_at_any_of_its_gates(tmp_path: Path) -> None:
    from tests.lifecyclekit import simple_pack

    pack = load_pack(simple_pack(tmp_path / "pack"))
    bundle = release(tmp_path / "b", phase="whatever", values=[1.0])
    with open_bundle(bundle.root) as opened:
        result = evaluate(pack, opened, gate="staging", now=WHEN)
    assert result.decision == "GO" and result.after is None and result.pack.authorities == []
    assert {c.id: c.outcome for c in result.controls} == {
        "DOC-1": Outcome.PASS, "DOC-2": Outcome.NOT_APPLICABLE}


def test_units_bounds_and_figures_are_typed_in_the_result() -> None:
    result = run(EXAMPLES / "no-go" / "beta")
    crisis = next(c for c in result.controls if c.id == "CR-1-LATENCY")
    assert crisis.units["rate"] == "fraction" and crisis.units["threshold"] == "ms"
    (bound,) = crisis.bounds
    assert (bound.key, bound.op, bound.value) == ("rate", "le", 0.001)
    figure = crisis.figure
    assert figure is not None and figure.kind == "distribution"
    assert figure.count == crisis.measured["samples"]
    p999 = next(p.value for p in figure.points if p.percent == 99.9)
    assert p999 == crisis.measured["alert_on_p99.9"]  # the same nearest rank as the check
    assert [p.value for p in figure.points] == sorted(p.value for p in figure.points)
    kinds = {m.kind for m in figure.markers}
    assert kinds == {"threshold", "alert", "measured"} and figure.max_rate == 0.001
    skipped = next(c for c in result.controls if c.outcome is Outcome.NOT_APPLICABLE)
    assert skipped.units == {} and skipped.figure is None


def test_every_signoff_of_the_bundle_is_in_the_result() -> None:
    result = run(EXAMPLES / "lifecycle" / "01-pre-release")
    assert {s.role for s in result.signoffs} >= {"clinical-authority", "security-authority"}
    assert all(s.verified and s.problem is None and len(s.key_fingerprint or "") == 64
               for s in result.signoffs)
    assert [a.id for a in result.pack.authorities][:2] == ["crisis", "compliance"]


def test_a_result_written_before_the_typed_fields_keeps_its_digest() -> None:
    import json

    from p0gate.result import digest_of, load_result

    result = run(EXAMPLES / "no-go" / "beta")
    old = json.loads(result.canonical())
    for control in old["controls"]:
        for key in ("units", "bounds", "figure"):
            control.pop(key, None)
    old.pop("signoffs")
    old["pack"].pop("authorities")
    old.pop("digest")
    old["digest"] = digest_of(old)
    loaded = load_result(json.dumps(old).encode())
    assert loaded.digest == old["digest"] and loaded.controls[0].units == {}


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
    result = evaluate(load_pack(pack_dir), bundle, gate="beta", now=KIT_NOW)
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
