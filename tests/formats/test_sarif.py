"""SARIF as GitHub code scanning reads it: the schema, and the fields code scanning uses."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from p0gate.formats.base import ReportContext
from p0gate.formats.sarif import FINGERPRINT, SarifFormatter, security_authorities
from p0gate.result import AuthorityOut, Result
from tests.conftest import POLICIES, ROOT
from tests.formats.conftest import Golden

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "shared" / "sarif-schema-2.1.0.json"
IN_REPO = ReportContext(pack_root=POLICIES, sarif_root=ROOT)


@pytest.fixture(scope="module")
def schema() -> dict[str, object]:
    """The official SARIF 2.1.0 schema, kept in tests/data/shared (see its README)."""
    loaded: dict[str, object] = json.loads(SCHEMA.read_text())
    return loaded


def run_of(result: Result, context: ReportContext = IN_REPO) -> dict[str, object]:
    found: dict[str, object] = json.loads(SarifFormatter().render(result, context))["runs"][0]
    return found


def test_golden(sample: Result, golden: Golden) -> None:
    golden("sarif.json", SarifFormatter().render(sample, IN_REPO), json.loads)


@pytest.mark.parametrize("which", ["sample", "example"])
@pytest.mark.parametrize("context", [IN_REPO, ReportContext()], ids=["repo", "pack"])
def test_valid_against_the_sarif_schema(
    which: str, context: ReportContext, schema: dict[str, object],
    request: pytest.FixtureRequest,
) -> None:
    result: Result = request.getfixturevalue(which)
    jsonschema.validate(json.loads(SarifFormatter().render(result, context)), schema)


def test_a_rule_per_control_and_a_result_per_non_passing(sample: Result) -> None:
    run = run_of(sample)
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}  # type: ignore[index]
    assert list(rules) == [c.id for c in sample.controls]
    assert rules["CR-1-LATENCY"]["defaultConfiguration"]["level"] == "error"
    results = {r["ruleId"]: r for r in run["results"]}  # type: ignore[attr-defined]
    assert set(results) == {c.id for c in sample.controls
                            if c.outcome.value in ("fail", "inconclusive", "error", "waived")}
    for found in results.values():  # code scanning resolves the rule by index too
        assert rules[found["ruleId"]] is run["tool"]["driver"]["rules"][found["ruleIndex"]]
    assert results["PF-1-SYNC"]["suppressions"][0]["kind"] == "external"
    assert results["US-3-MONITORING-CRISIS"]["level"] == "warning"


def test_security_severity_only_on_the_packs_security_authority(sample: Result) -> None:
    assert security_authorities(sample) == {"security"}  # role security-authority
    for rule in run_of(sample)["tool"]["driver"]["rules"]:  # type: ignore[index]
        control = next(c for c in sample.controls if c.id == rule["id"])
        is_security = control.authority == "security"
        assert ("security-severity" in rule["properties"]) == is_security
        assert ("security" in rule["properties"]["tags"]) == is_security
        if is_security:
            assert 0 <= float(rule["properties"]["security-severity"]) <= 10
    latency = next(r for r in run_of(sample)["tool"]["driver"]["rules"]  # type: ignore[index]
                   if r["id"] == "CR-1-LATENCY")
    assert "security-severity" not in latency["properties"]


def test_the_role_decides_not_a_built_in_name(sample: Result) -> None:
    renamed = sample.model_copy(update={"pack": sample.pack.model_copy(update={"authorities": [
        AuthorityOut(id="crisis", title="Product Security", role="product-security"),
        AuthorityOut(id="security", title="Ops", role="sre")]})})
    assert security_authorities(renamed) == {"crisis"}
    bare = sample.model_copy(update={"pack": sample.pack.model_copy(update={"authorities": []})})
    rules = run_of(bare)["tool"]["driver"]["rules"]  # type: ignore[index]
    assert not any("security-severity" in r["properties"] for r in rules)


def test_locations_are_relative_to_the_repository_root(sample: Result) -> None:
    run = run_of(sample)
    assert "%SRCROOT%" in run["originalUriBaseIds"]  # type: ignore[operator]
    for found in run["results"]:  # type: ignore[attr-defined]
        where = found["locations"][0]["physicalLocation"]
        uri = where["artifactLocation"]["uri"]
        assert where["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert uri.startswith("policies/") and not uri.startswith("/")
        assert (ROOT / uri).is_file() and where["region"]["startLine"] >= 1
    cr1 = next(f for f in run["results"] if f["ruleId"] == "CR-1-LATENCY")  # type: ignore[attr-defined]
    line = cr1["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert "id: CR-1-LATENCY" in (ROOT / "policies/crisis.yaml").read_text().splitlines()[
        line - 1]


def test_a_pack_outside_the_root_points_into_the_pack(sample: Result, tmp_path: Path) -> None:
    run = run_of(sample, ReportContext(pack_root=POLICIES, sarif_root=tmp_path))
    first = run["results"][0]["locations"][0]["physicalLocation"]  # type: ignore[index]
    assert first["artifactLocation"]["uriBaseId"] == "PACKROOT"


def test_fingerprints_are_stable_across_runs_and_distinct_per_control(sample: Result) -> None:
    def prints(result: Result) -> dict[str, str]:
        return {r["ruleId"]: r["partialFingerprints"][FINGERPRINT]
                for r in run_of(result)["results"]}  # type: ignore[attr-defined]

    later = sample.model_copy(update={
        "evaluated_at": "2025-10-30T00:00:00Z", "digest": "f" * 64,
        "controls": [c.model_copy(update={"message": "other words", "source": "x.yaml:999"})
                     for c in sample.controls]})
    assert prints(sample) == prints(later)
    assert len(set(prints(sample).values())) == len(prints(sample))
    assert all(re.fullmatch(r"[0-9a-f]{32}", v) for v in prints(sample).values())
    category = run_of(sample)["automationDetails"]["id"]  # type: ignore[index]
    assert category == f"p0gate/{sample.bundle.metadata['system']}/{sample.gate}/"


def test_messages_carry_units(sample: Result) -> None:
    text = next(r["message"]["text"] for r in run_of(sample)["results"]  # type: ignore[attr-defined]
                if r["ruleId"] == "CR-1-LATENCY")
    assert "rate 0.5%" in text and "threshold 200 ms" in text
