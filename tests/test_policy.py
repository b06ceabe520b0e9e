from pathlib import Path

import pytest

from p0gate.checks.exceedance import ExceedanceCheck
from p0gate.errors import InputError
from p0gate.policy import load_pack
from tests.conftest import POLICIES

HEADER = "apiVersion: p0gate/v1\nkind: PolicySet\nmetadata: {name: t, authority: crisis}\n"
CONTROL = """controls:
  - id: CR-1-LAT
    title: Crisis latency
    severity: critical
    blocking: true
    waivable: false
    phases: [beta, production]
    check:
      type: exceedance
      artifact: crisis-latency
      threshold: 200
      max_rate: 0.001
{extra}"""


def pack(tmp_path: Path, body: str, name: str = "crisis.yaml") -> Path:
    (tmp_path / name).write_text(body)
    return tmp_path


def error_of(root: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load_pack(root)
    return info.value


def test_default_pack_loads_with_unique_ids_and_guide_references() -> None:
    loaded = load_pack(POLICIES)
    ids = [c.control.id for c in loaded.controls]
    assert len(ids) == len(set(ids)) and len(ids) >= 30
    assert loaded.name == "p0-cloud-deployment-guide"
    assert len(loaded.digest) == 64


def test_overrides_apply_per_phase(tmp_path: Path) -> None:
    extra = "    overrides:\n      production: {max_rate: 0.0005}\n"
    control = load_pack(pack(tmp_path, HEADER + CONTROL.format(extra=extra))).controls[0].control
    beta, prod = control.check_for("beta"), control.check_for("production")
    assert isinstance(beta, ExceedanceCheck) and isinstance(prod, ExceedanceCheck)
    assert (beta.max_rate, prod.max_rate) == (0.001, 0.0005)
    assert prod.threshold == 200


@pytest.mark.parametrize(("extra", "needle", "line"), [
    ("    colour: red\n", "unknown key", 16),
    ("    overrides:\n      production: {max_rate: 2}\n", "less than or equal to 1", None),
    ("    overrides:\n      staging: {max_rate: 0.1}\n", "not in phases", None),
    ("    overrides:\n      production: {type: metric}\n", "check type", None),
])
def test_bad_controls_name_file_and_line(tmp_path: Path, extra: str, needle: str,
                                         line: int | None) -> None:
    err = error_of(pack(tmp_path, HEADER + CONTROL.format(extra=extra)))
    assert needle in str(err)
    assert err.location is not None and Path(err.location.file).name == "crisis.yaml"
    if line:
        assert err.location.line == line


@pytest.mark.parametrize(("old", "new", "needle"), [
    ("type: exceedance", "type: percentile", "type"),
    ("max_rate: 0.001", "max_rate: '0.001'", "valid number"),
    ("blocking: true", "blocking: yes", "valid boolean"),
    ("id: CR-1-LAT", "id: cr1", "is not a control id"),
    ("phases: [beta, production]", "phases: [alpha]", "beta"),
    ("      max_rate: 0.001\n", "", "max_rate"),
])
def test_wrong_types_and_values(tmp_path: Path, old: str, new: str, needle: str) -> None:
    err = error_of(pack(tmp_path, HEADER + CONTROL.format(extra="").replace(old, new)))
    assert needle in str(err)


def test_comparators_need_exactly_one(tmp_path: Path) -> None:
    body = (HEADER + "controls:\n  - id: PF-1-X\n    title: t\n    severity: low\n"
            "    blocking: false\n    phases: [beta]\n"
            "    check: {type: metric, artifact: m, path: a, lt: 1, gt: 0}\n")
    assert "exactly one comparator" in str(error_of(pack(tmp_path, body)))
    assert "exactly one comparator" in str(error_of(pack(tmp_path, body.replace(", gt: 0", "")
                                                        .replace(", lt: 1", ""))))


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    body = HEADER + CONTROL.format(extra="")
    pack(tmp_path, body, "a.yaml")
    pack(tmp_path, body, "b.yaml")
    err = error_of(tmp_path)
    assert "duplicate control id 'CR-1-LAT'" in err.message and "a.yaml" in err.message
    assert err.location is not None and Path(err.location.file).name == "b.yaml"


def test_foreign_kinds_and_empty_packs(tmp_path: Path) -> None:
    pack(tmp_path, "apiVersion: p0gate/v1\nkind: Lexicon\nname: x\nentries: []\n")
    assert "does not belong" in str(error_of(tmp_path))
    assert "not found" in str(error_of(tmp_path / "missing"))
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no controls" in str(error_of(empty))


def test_pack_digest_changes_with_any_policy_file(tmp_path: Path) -> None:
    root = pack(tmp_path, HEADER + CONTROL.format(extra=""))
    first = load_pack(root).digest
    (root / "lexicons").mkdir()
    (root / "lexicons" / "x.yaml").write_text("a: 1\n")
    assert load_pack(root).digest != first


SIGNOFF = HEADER.replace("crisis", "governance") + """controls:
  - id: GV-1-SIGN
    title: Signed
    severity: high
    blocking: true
    phases: [staging]
    check: {type: signoff, roles: [clinical-authority]}
"""
LANGUAGE = HEADER.replace("crisis", "clinical") + """controls:
  - id: CL-3-WORDS
    title: Words
    severity: high
    blocking: true
    phases: [beta, staging]
    check: {type: language, lexicon: lexicons/safe-messaging.yaml}
    overrides:
      staging: {lexicon: lexicons/missing.yaml}
"""


def test_the_trust_store_loads_with_the_pack_whatever_the_gate(tmp_path: Path) -> None:
    root = pack(tmp_path, SIGNOFF, "governance.yaml")
    assert "no trust store" in str(error_of(root))
    loaded = load_pack(root, trust=POLICIES / "trust")
    assert loaded.files.trust.keys and loaded.files.trust.folder == POLICIES / "trust"


def test_every_phase_override_loads_its_lexicon(tmp_path: Path) -> None:
    (tmp_path / "lexicons").mkdir()
    (tmp_path / "lexicons" / "safe-messaging.yaml").write_bytes(
        (POLICIES / "lexicons" / "safe-messaging.yaml").read_bytes())
    err = error_of(pack(tmp_path, LANGUAGE, "clinical.yaml"))
    assert "CL-3-WORDS" in err.message and "lexicons/missing.yaml" in err.message
