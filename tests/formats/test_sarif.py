from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from p0gate.formats.sarif import SarifFormatter
from p0gate.result import Result
from tests.formats.conftest import Golden

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "shared" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def schema() -> dict[str, object]:
    """The official SARIF 2.1.0 schema, kept in tests/data/shared (see its README)."""
    loaded: dict[str, object] = json.loads(SCHEMA.read_text())
    return loaded


def test_golden(sample: Result, golden: Golden) -> None:
    golden("sarif.json", SarifFormatter().render(sample), json.loads)


@pytest.mark.parametrize("which", ["sample", "example"])
def test_valid_against_the_sarif_schema(
    which: str, schema: dict[str, object], request: pytest.FixtureRequest
) -> None:
    result: Result = request.getfixturevalue(which)
    jsonschema.validate(json.loads(SarifFormatter().render(result)), schema)


def test_a_rule_per_control_and_a_result_per_non_passing(sample: Result) -> None:
    run = json.loads(SarifFormatter().render(sample))["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert list(rules) == [c.id for c in sample.controls]
    assert rules["CR-1-LATENCY"]["properties"]["security-severity"] == "9.5"
    assert rules["CR-1-LATENCY"]["defaultConfiguration"]["level"] == "error"
    results = {r["ruleId"]: r for r in run["results"]}
    assert set(results) == {
        "CR-1-LATENCY",
        "CR-5-988",
        "CR-2-MAX",
        "PF-1-SYNC",
        "US-3-MONITORING-CRISIS",
    }
    where = results["CR-1-LATENCY"]["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"] == "crisis.yaml"
    assert where["region"]["startLine"] == int(sample.controls[0].source.split(":")[1])
    assert results["PF-1-SYNC"]["suppressions"][0]["kind"] == "external"
    assert results["US-3-MONITORING-CRISIS"]["level"] == "warning"
