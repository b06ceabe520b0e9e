import shutil
from pathlib import Path

import pytest

from p0gate.errors import InputError
from p0gate.packtest import load_cases, run_pack_tests, validate_pack
from p0gate.policy import load_pack
from tests.conftest import POLICIES, ROOT

# the requirement ids of ../shared/docs/seed-requirements.md, kept in tests/data/shared
SEED_IDS = (ROOT / "tests" / "data" / "shared" / "seed-requirement-ids.txt").read_text().split()


def test_every_requirement_of_the_guide_is_referenced() -> None:
    pack = load_pack(POLICIES)
    referenced = {r.id for c in pack.controls for r in c.control.references
                  if r.framework == "p0-deployment-guide"}
    missing = [i for i in SEED_IDS if i not in referenced]
    assert missing == [], f"requirements without a control: {missing}"


def test_crisis_controls_are_blocking_and_not_waivable() -> None:
    crisis = [c.control for c in load_pack(POLICIES).controls if c.authority == "crisis"]
    assert crisis and all(c.blocking and not c.is_waivable for c in crisis)


def test_the_guides_rollback_triggers_are_blocking_triggers() -> None:
    """"Immediate Rollback Triggers": crisis > 200 ms (also under 10x load), any degradation
    in emergency response time, a security incident affecting user data, availability under
    99%, a compliance violation, a critical safety incident."""
    pack = load_pack(POLICIES)
    triggers = {c.control.id for c in pack.controls if c.control.rollback_trigger}
    assert triggers == {"CR-2-MAX", "CR-10-LOAD-MAX", "CR-1-MEAN-REGRESSION", "SE-7-USER-DATA",
                        "PF-4-ROLLBACK", "HI-7-COMPLIANCE-INCIDENTS", "CR-9-CRITICAL-SAFETY"}
    assert all(c.control.blocking and not c.control.is_waivable for c in pack.controls
               if c.control.id in triggers)


def test_every_control_has_a_passing_and_a_failing_fixture_at_every_gate() -> None:
    pack = load_pack(POLICIES)
    seen: dict[tuple[str, str], set[str]] = {
        (c.control.id, gate): set() for c in pack.controls for gate in c.control.gate_names}
    for case in load_cases(pack):
        if case.test.mode != "evaluate":
            continue
        for control_id, outcome in case.test.expect.items():
            seen.get((control_id, case.test.gate_name), set()).add(outcome.value)
    missing = {key: sorted({"pass", "fail"} - got) for key, got in seen.items()
               if not {"pass", "fail"} <= got}
    assert len(seen) > 500 and missing == {}


def test_default_pack_fixtures_hold() -> None:
    report = run_pack_tests(POLICIES)
    misses = [m for c in report.cases for m in c.misses]
    assert report.failed == 0 and misses == [] and len(report.cases) >= 16


def copy_pack(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(POLICIES, pack)
    return pack


def test_a_wrong_expectation_is_reported(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    case = pack / "tests" / "beta-pass.yaml"
    case.write_text(case.read_text().replace("CR-2-MAX: pass", "CR-2-MAX: fail"))
    report = run_pack_tests(pack)
    assert report.failed == 1
    assert any("CR-2-MAX: expected fail, got pass" in m for c in report.cases for m in c.misses)


def test_validate_catches_an_artifact_id_typo(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    crisis = pack / "crisis.yaml"
    text = crisis.read_text().replace("artifact: crisis-tests", "artifact: crisis-test", 1)
    crisis.write_text(text)
    with pytest.raises(InputError, match="'crisis-test', which no fixture bundle") as info:
        validate_pack(pack)
    assert info.value.location is not None and Path(info.value.location.file).name == "crisis.yaml"


def test_cases_naming_unknown_controls_or_bundles(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    case = pack / "tests" / "beta-pass.yaml"
    case.write_text(case.read_text().replace("CR-2-MAX: pass", "CR-99-NOPE: pass"))
    with pytest.raises(InputError, match="unknown control 'CR-99-NOPE'"):
        validate_pack(pack)
    case.write_text(case.read_text().replace("CR-99-NOPE: pass", "CR-2-MAX: pass")
                    .replace("bundles/pre-release-pass", "bundles/nope"))
    with pytest.raises(InputError, match="fixture bundle 'bundles/nope' not found"):
        validate_pack(pack)
    case.write_text(case.read_text().replace("bundles/nope", "bundles/pre-release-pass")
                    .replace("gate: beta", "gate: alpha"))
    with pytest.raises(InputError, match="no gate 'alpha'"):
        validate_pack(pack)


def test_a_pack_without_tests(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    shutil.rmtree(pack / "tests")
    summary, notes = validate_pack(pack)
    assert "8 gates, 0 fixture cases" in summary and notes == ()
    with pytest.raises(InputError, match="no tests"):
        run_pack_tests(pack)


def test_a_case_seeds_the_ledger_after_reads(tmp_path: Path) -> None:
    """The staging pass case seeds a beta GO 15 days before: without it, after: is unmet."""
    pack = copy_pack(tmp_path)
    case = pack / "tests" / "staging-pass.yaml"
    text = case.read_text()
    assert "ledger:\n- gate: beta\n  decision: GO" in text
    case.write_text(text.replace("  decision: GO", "  decision: NO-GO"))
    report = run_pack_tests(pack)
    misses = [m for c in report.cases for m in c.misses]
    assert report.failed == 1 and misses == [
        "GV-2-PRIOR-PHASE: expected pass, got fail: the last decision at the beta gate is NO-GO "
        "(2025-09-13T00:00:00Z, the case's ledger, item 1)",
        "decision: expected GO, got NO-GO (after: the last decision at the beta gate is NO-GO "
        "(2025-09-13T00:00:00Z, the case's ledger, item 1))"]


def test_a_monitor_case_expecting_ok_reports_what_monitor_would_refuse(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    case = pack / "tests" / "edge-exactly-200ms.yaml"
    case.write_text(case.read_text().replace("baseline: bundles/beta-pass\n", ""))
    report = run_pack_tests(pack)
    misses = [m for c in report.cases for m in c.misses]
    assert report.failed == 1 and len(misses) == 1
    assert misses[0].startswith("monitor would exit 3: trigger CR-1-MEAN-REGRESSION was not "
                                "evaluated: no baseline")
