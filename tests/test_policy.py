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
    gates: [beta, production]
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


def test_overrides_apply_per_gate(tmp_path: Path) -> None:
    extra = "    overrides:\n      production: {max_rate: 0.0005}\n"
    control = load_pack(pack(tmp_path, HEADER + CONTROL.format(extra=extra))).controls[0].control
    beta, prod = control.check_for("beta"), control.check_for("production")
    assert isinstance(beta, ExceedanceCheck) and isinstance(prod, ExceedanceCheck)
    assert (beta.max_rate, prod.max_rate) == (0.001, 0.0005)
    assert prod.threshold == 200


@pytest.mark.parametrize(("extra", "needle", "line"), [
    ("    colour: red\n", "unknown key", 16),
    ("    overrides:\n      production: {max_rate: 2}\n", "less than or equal to 1", None),
    ("    overrides:\n      staging: {max_rate: 0.1}\n", "not in gates", None),
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
    ("gates: [beta, production]", "gates: [Alpha]", "is not a name"),
    ("gates: [beta, production]", "gates: [beta, beta]", "twice"),
    ("gates: [beta, production]", "gates: []", "at least one gate"),
    ("gates: [beta, production]", "description: no gates", "exactly once"),
    ("      max_rate: 0.001\n", "", "max_rate"),
])
def test_wrong_types_and_values(tmp_path: Path, old: str, new: str, needle: str) -> None:
    err = error_of(pack(tmp_path, HEADER + CONTROL.format(extra="").replace(old, new)))
    assert needle in str(err)


def test_comparators_need_exactly_one(tmp_path: Path) -> None:
    body = (HEADER + "controls:\n  - id: PF-1-X\n    title: t\n    severity: low\n"
            "    blocking: false\n    gates: [beta]\n"
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
    gates: [staging]
    check: {type: signoff, roles: [clinical-authority]}
"""
LANGUAGE = HEADER.replace("crisis", "clinical") + """controls:
  - id: CL-3-WORDS
    title: Words
    severity: high
    blocking: true
    gates: [beta, staging]
    check: {type: language, lexicon: lexicons/safe-messaging.yaml}
    overrides:
      staging: {lexicon: lexicons/missing.yaml}
"""


def test_the_trust_store_loads_with_the_pack_whatever_the_gate(tmp_path: Path) -> None:
    root = pack(tmp_path, SIGNOFF, "governance.yaml")
    assert "no trust store" in str(error_of(root))
    loaded = load_pack(root, trust=POLICIES / "trust")
    assert loaded.files.trust.keys and loaded.files.trust.folder == POLICIES / "trust"


def test_every_gate_override_loads_its_lexicon(tmp_path: Path) -> None:
    (tmp_path / "lexicons").mkdir()
    (tmp_path / "lexicons" / "safe-messaging.yaml").write_bytes(
        (POLICIES / "lexicons" / "safe-messaging.yaml").read_bytes())
    err = error_of(pack(tmp_path, LANGUAGE, "clinical.yaml"))
    assert "CL-3-WORDS" in err.message and "lexicons/missing.yaml" in err.message


# The lifecycle a pack declares (design section 1a), checked when the pack loads.

def test_the_default_pack_declares_its_gates_authorities_and_escalation() -> None:
    loaded = load_pack(POLICIES)
    assert loaded.lifecycle.declared and loaded.lifecycle.names == (
        "beta", "staging", "production-25", "production-50", "production-75", "production-100",
        "complete", "post-rollback")
    assert [a.id for a in loaded.authorities if a.emergency_rollback] == ["crisis"]
    assert [e.to for e in loaded.escalation][:3] == [
        "Crisis Response Team", "Crisis Authority", "Executive Team"]
    assert loaded.notes == ()


def test_a_simple_pack_accepts_any_gate_name_and_authority(tmp_path: Path) -> None:
    from tests.lifecyclekit import simple_pack

    loaded = load_pack(simple_pack(tmp_path))
    assert not loaded.lifecycle.declared and loaded.lifecycle.names == ("beta", "staging")
    assert loaded.authorities == () and not loaded.emergency_rollback("whoever")
    assert loaded.controls[1].control.gate_names == ["beta"]  # `phases: beta`, a scalar
    assert len(loaded.notes) == 1 and "DOC-2: `phases:` is the old name of `gates:`" in (
        loaded.notes[0])


def lifecycle_error(tmp_path: Path, settings: str | None = None,
                    controls: str | None = None) -> InputError:
    from tests.lifecyclekit import CONTROLS, SETTINGS, lifecycle_pack

    root = lifecycle_pack(tmp_path, settings=settings or SETTINGS, controls=controls or CONTROLS)
    return error_of(root)


@pytest.mark.parametrize(("old", "new", "words", "hint"), [
    ("after: {gate: canary, min_days: 2}", "after: {gate: beta, min_days: 2}",
     "gate ga: after: names unknown gate 'beta'", "canary, ga, rollback-check"),
    ("{name: canary, evidence: dev}", "{name: canary, evidence: dev, after: {gate: ga}}",
     "after: forms a cycle (canary -> ga -> canary)", "declared before it"),
    ("{name: rollback-check, evidence: ga}", "{name: rollback-check, evidence: ga, "
     "after: {gate: canary}}", "after: canary skips ga (a gap in the chain)", "gate: ga"),
    ("{name: rollback-check, evidence: ga}", "{name: ga, evidence: ga}",
     "gate 'ga' is declared twice", "once"),
    ("{name: canary, evidence: dev}", "{name: Canary, evidence: dev}", "is not a name", None),
    ("rollout_percent: 100", "rollout_percent: 120", "less than or equal to 100", None),
])
def test_bad_gate_graphs_name_pack_yaml_and_line(tmp_path: Path, old: str, new: str,
                                                 words: str, hint: str | None) -> None:
    from tests.lifecyclekit import SETTINGS

    assert old in SETTINGS
    err = lifecycle_error(tmp_path, settings=SETTINGS.replace(old, new))
    assert words in err.message
    assert err.location is not None and Path(err.location.file).name == "pack.yaml"
    assert err.location.line is not None and err.location.line >= 7
    if hint:
        assert err.hint is not None and hint in err.hint


def test_a_later_gate_named_by_after_is_refused(tmp_path: Path) -> None:
    from tests.lifecyclekit import SETTINGS

    reordered = SETTINGS.replace("  - {name: canary, evidence: dev}\n", "").replace(
        "  - {name: rollback-check, evidence: ga}\n",
        "  - {name: rollback-check, evidence: ga}\n  - {name: canary, evidence: dev}\n")
    assert "declared later" in lifecycle_error(tmp_path, settings=reordered).message


@pytest.mark.parametrize(("old", "new", "words", "line"), [
    ("gates: [ga]", "gates: [ga, prod]", "control GV-1-PRIOR names undeclared gate 'prod'", 26),
    ("check: {type: prior-phase, gate: canary}", "check: {type: prior-phase, gate: beta}",
     "control GV-1-PRIOR names undeclared gate 'beta'", 26),
    ("authority: ops}", "authority: sre}", "names undeclared authority 'sre'", 3),
    ("    rollback_trigger: true\n", "    rollback_trigger: true\n    waivable: true\n",
     "a rollback trigger is never waivable", 5),
])
def test_controls_must_name_declared_gates_and_authorities(tmp_path: Path, old: str, new: str,
                                                          words: str, line: int) -> None:
    from tests.lifecyclekit import CONTROLS

    assert old in CONTROLS
    err = lifecycle_error(tmp_path, controls=CONTROLS.replace(old, new))
    assert words in err.message
    assert err.location is not None and Path(err.location.file).name == "service.yaml"
    assert err.location.line == line


def test_a_trigger_is_never_waivable_even_unsaid(tmp_path: Path) -> None:
    from tests.lifecyclekit import lifecycle_pack

    loaded = load_pack(lifecycle_pack(tmp_path))
    trigger = loaded.controls[0].control
    assert trigger.rollback_trigger and trigger.waivable is None and not trigger.is_waivable
    assert loaded.controls[2].control.is_waivable


def test_an_unknown_gate_is_invalid_input_naming_pack_yaml(tmp_path: Path) -> None:
    from tests.lifecyclekit import lifecycle_pack

    loaded = load_pack(lifecycle_pack(tmp_path))
    with pytest.raises(InputError, match="no gate 'prod'") as info:
        loaded.gate("prod")
    assert info.value.location is not None and str(info.value.location).endswith("pack.yaml")
