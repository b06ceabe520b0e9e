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
    assert crisis and all(c.blocking and not c.waivable for c in crisis)


def test_every_control_has_a_passing_and_a_failing_fixture() -> None:
    pack = load_pack(POLICIES)
    seen: dict[str, set[str]] = {c.control.id: set() for c in pack.controls}
    for case in load_cases(pack):
        for control_id, outcome in case.test.expect.items():
            seen[control_id].add(outcome.value)
    missing = {cid: sorted({"pass", "fail"} - got) for cid, got in seen.items()
               if not {"pass", "fail"} <= got}
    assert missing == {}


def test_default_pack_fixtures_hold() -> None:
    report = run_pack_tests(POLICIES)
    misses = [m for c in report.cases for m in c.misses]
    assert report.failed == 0 and misses == [] and len(report.cases) >= 7


def copy_pack(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(POLICIES, pack)
    return pack


def test_a_wrong_expectation_is_reported(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    case = pack / "tests" / "core-beta-pass.yaml"
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
    case = pack / "tests" / "core-beta-pass.yaml"
    case.write_text(case.read_text().replace("CR-2-MAX: pass", "CR-99-NOPE: pass"))
    with pytest.raises(InputError, match="unknown control 'CR-99-NOPE'"):
        validate_pack(pack)
    case.write_text(case.read_text().replace("CR-99-NOPE: pass", "CR-2-MAX: pass")
                    .replace("bundles/beta-pass", "bundles/nope"))
    with pytest.raises(InputError, match="fixture bundle 'bundles/nope' not found"):
        validate_pack(pack)


def test_a_pack_without_tests(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    shutil.rmtree(pack / "tests")
    assert "0 fixture cases" in validate_pack(pack)
    with pytest.raises(InputError, match="no tests"):
        run_pack_tests(pack)
