"""The sarif reader on real bandit output and on files that are not SARIF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from p0gate.errors import EvidenceError
from p0gate.evidence.sarif import SarifLog, SarifReader
from tests.bundlekit import File, make_bundle
from tests.conftest import TEST_DATA

DATA = TEST_DATA / "sarif"


def read(tmp_path: Path, data: bytes, path: str = "scan.sarif") -> SarifLog:
    bundle = make_bundle(tmp_path, [File("scan", "sarif", path, data)])
    artifact = bundle.find("scan")
    assert artifact is not None
    return SarifReader().read(bundle.blob(artifact))


def test_bandit_levels_rules_and_locations(tmp_path: Path) -> None:
    raw = (DATA / "bandit-vulnerable.sarif").read_bytes()
    log = read(tmp_path, raw)
    source = json.loads(raw)["runs"][0]["results"]
    assert log.runs == 1 and log.tools == ("Bandit",)
    assert len(log.findings) == len(source) == 11
    # bandit leaves `level` out for medium severity: those count as warning
    for finding, result in zip(log.findings, source, strict=True):
        assert finding.rule_id == result["ruleId"]
        assert finding.level == result.get("level", "warning")
        line = result["locations"][0]["physicalLocation"]["region"]["startLine"]
        assert finding.location.endswith(f"app.py:{line}")
    assert {f.rule_id for f in log.findings if f.level == "error"} == {"B602", "B324", "B501"}
    assert all(f.security_severity is None for f in log.findings)


def test_clean_bandit_run_has_no_findings(tmp_path: Path) -> None:
    log = read(tmp_path, (DATA / "bandit-clean.sarif").read_bytes())
    assert log.runs == 1 and log.findings == ()


def _codeql_like(level: str | None = None, severity: object = "9.8") -> bytes:
    result: dict[str, object] = {
        "ruleId": "py/sql-injection",
        "ruleIndex": 0,
        "message": {"text": "SQL built from user input"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "app/db.py"},
                    "region": {"startLine": 7},
                }
            }
        ],
    }
    if level is not None:
        result["level"] = level
    rule = {
        "id": "py/sql-injection",
        "defaultConfiguration": {"level": "error"},
        "properties": {"security-severity": severity},
    }
    doc = {
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "CodeQL", "rules": [rule]}}, "results": [result]}],
    }
    return json.dumps(doc).encode()


def test_security_severity_and_rule_default_level(tmp_path: Path) -> None:
    finding = read(tmp_path, _codeql_like()).findings[0]
    assert finding.security_severity == 9.8
    assert finding.level == "error"  # from the rule's defaultConfiguration
    assert finding.location == "app/db.py:7"
    assert read(tmp_path / "n", _codeql_like("note")).findings[0].level == "note"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b'{"name": "not sarif"}', "not SARIF"),
        (b"<xml/>", "not valid JSON"),
        (b'{"version": "2.0.0", "runs": []}', "version '2.0.0'"),
        (b'{"version": "2.1.0", "runs": {}}', "runs must be an array"),
        (b'{"version": "2.1.0", "runs": [{"tool": {}}]}', "runs[0].tool.driver"),
    ],
)
def test_not_sarif_is_a_clear_error(tmp_path: Path, data: bytes, words: str) -> None:
    with pytest.raises(EvidenceError, match="scan") as info:
        read(tmp_path, data)
    assert words in str(info.value)


def test_bad_level_and_severity_are_errors(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match="level 'fatal'"):
        read(tmp_path, _codeql_like("fatal"))
    with pytest.raises(EvidenceError, match="security-severity 'high'"):
        read(tmp_path / "s", _codeql_like(severity="high"))


def _fixture(tmp_path: Path, name: str) -> SarifLog:
    return read(tmp_path, (DATA / name).read_bytes(), name)


def test_codeql_rules_grouped_by_pack_live_in_extensions(tmp_path: Path) -> None:
    """CodeQL's --sarif-group-rules-by-pack: results find their rules in tool.extensions,
    by toolComponent index or name, and take the rule's level and security-severity."""
    got = {f.rule_id: (f.level, f.security_severity)
           for f in _fixture(tmp_path, "codeql-by-pack.sarif").findings}
    assert got == {"py/command-line-injection": ("error", 9.8),
                   "py/sql-injection": ("error", 8.8),
                   "p0/crisis-number-hardcoded": ("warning", 9.1)}


@pytest.mark.parametrize(("name", "tool", "errors"), [
    ("ruff-vulnerable.sarif", "ruff", 9),  # every ruff result carries level error
    ("semgrep-vulnerable.sarif", "Semgrep OSS", 1),  # levels come from the rules
    ("eslint-vulnerable.sarif", "ESLint", 1),
])
def test_real_scanners(tmp_path: Path, name: str, tool: str, errors: int) -> None:
    log = _fixture(tmp_path, name)
    assert log.tools == (tool,) and log.failures == ()
    assert sum(f.level == "error" for f in log.findings) == errors


def test_semgrep_security_severity_from_rule_metadata(tmp_path: Path) -> None:
    found = {f.rule_id: f for f in _fixture(tmp_path, "semgrep-vulnerable.sarif").findings}
    assert found["subprocess-shell-true"].security_severity == 9.8
    assert found["pickle-loads"].level == "warning" and found["use-of-eval"].level == "note"


def test_a_scan_that_did_not_finish_is_a_failure(tmp_path: Path) -> None:
    """ESLint on a file it cannot parse: executionSuccessful false and an error notification."""
    log = _fixture(tmp_path, "eslint-failed.sarif")
    assert len(log.failures) == 2
    assert "executionSuccessful is false" in log.failures[0]
    assert "Parsing error" in log.failures[1]


def _log(run: dict[str, object]) -> bytes:
    base: dict[str, object] = {"tool": {"driver": {"name": "T"}}, "results": []}
    return json.dumps({"version": "2.1.0", "runs": [{**base, **run}]}).encode()


def _rules(*rules: dict[str, object], where: str = "driver") -> dict[str, object]:
    if where == "driver":
        return {"driver": {"name": "T", "rules": list(rules)}}
    return {"driver": {"name": "T"}, "extensions": [{"name": "pack", "rules": list(rules)}]}


RULE = {"id": "R1", "defaultConfiguration": {"level": "error"},
        "properties": {"security-severity": 9.5}}


@pytest.mark.parametrize("result", [
    {"ruleId": "R1"},
    {"ruleIndex": 0},
    {"rule": {"id": "R1"}},
    {"rule": {"index": 0}},
    {"ruleId": "R1/2"},  # hierarchical: a sub-id of rule R1
    {"ruleId": "R1", "ruleIndex": 0, "rule": {"id": "R1", "index": 0}},
])
def test_every_way_to_name_a_rule(tmp_path: Path, result: dict[str, object]) -> None:
    for where in ("driver", "extensions"):
        if where == "extensions" and ("ruleIndex" in result or "index" in result.get("rule", {})):
            result = {**result, "rule": {**result.get("rule", {}),  # type: ignore[dict-item]
                                         "toolComponent": {"index": 0}}}
        data = _log({"tool": _rules(RULE, where=where), "results": [result]})
        (finding,) = read(tmp_path / where, data).findings
        assert (finding.level, finding.security_severity) == ("error", 9.5), where


@pytest.mark.parametrize(("invocations", "result", "level"), [
    ([], {}, "error"),  # the rule's default
    ([{"executionSuccessful": True, "ruleConfigurationOverrides": [
        {"descriptor": {"id": "R1"}, "configuration": {"level": "note"}}]}], {}, "note"),
    ([{"executionSuccessful": True, "ruleConfigurationOverrides": [
        {"descriptor": {"index": 0}, "configuration": {"level": "warning"}}]}],
     {"level": "error"}, "error"),  # the result's own level wins
    ([{"executionSuccessful": True},
      {"executionSuccessful": True, "ruleConfigurationOverrides": [
          {"descriptor": {"id": "R1"}, "configuration": {"level": "none"}}]}],
     {"provenance": {"invocationIndex": 0}}, "error"),  # the override of another invocation
    ([], {"kind": "pass"}, "none"),
    ([], {"kind": "review"}, "none"),
])
def test_level_precedence(tmp_path: Path, invocations: list[object], result: dict[str, object],
                          level: str) -> None:
    rule = {"id": "R1", "defaultConfiguration": {"level": "error"}}
    data = _log({"tool": _rules(rule), "invocations": invocations,
                 "results": [{"ruleId": "R1", **result}]})
    assert read(tmp_path, data).findings[0].level == level


def test_without_provenance_the_most_severe_override_holds(tmp_path: Path) -> None:
    overrides = [{"executionSuccessful": True, "ruleConfigurationOverrides": [
        {"descriptor": {"id": "R1"}, "configuration": {"level": lv}}]} for lv in ("note", "error")]
    data = _log({"tool": _rules({"id": "R1"}), "invocations": overrides,
                 "results": [{"ruleId": "R1"}]})
    assert read(tmp_path, data).findings[0].level == "error"


@pytest.mark.parametrize(("result", "words"), [
    ({"ruleId": "R1", "rule": {"id": "R2"}}, "ruleId 'R1' but rule.id 'R2'"),
    ({"ruleIndex": 3}, "index 3"),
    ({"ruleId": "R2", "ruleIndex": 0}, "id 'R2' but the descriptor"),
    ({"rule": {"id": "R1", "toolComponent": {"index": 4}}}, "extensions"),
    ({"rule": {"id": "R1", "toolComponent": {"name": "nope"}}}, "names no tool components"),
    ({"ruleId": "R1", "kind": "pass", "level": "error"}, "only level none"),
    ({"ruleId": "R1", "kind": "maybe"}, "kind 'maybe'"),
    ({"ruleId": "R1", "baselineState": "gone"}, "baselineState 'gone'"),
    ({"ruleId": "R1", "provenance": {"invocationIndex": 2}}, "invocationIndex 2"),
])
def test_contradictions_are_refused(tmp_path: Path, result: dict[str, object],
                                    words: str) -> None:
    data = _log({"tool": _rules({"id": "R1"}), "results": [result]})
    with pytest.raises(EvidenceError) as info:
        read(tmp_path, data)
    assert words in str(info.value)


def test_the_same_rule_id_in_two_packs_needs_a_tool_component(tmp_path: Path) -> None:
    tool = {"driver": {"name": "T"}, "extensions": [
        {"name": "a", "rules": [{"id": "R1"}]}, {"name": "b", "rules": [{"id": "R1"}]}]}
    with pytest.raises(EvidenceError, match="2 rules have the id 'R1'"):
        read(tmp_path, _log({"tool": tool, "results": [{"ruleId": "R1"}]}))
    named = {"ruleId": "R1", "rule": {"id": "R1", "toolComponent": {"name": "b"}}}
    assert read(tmp_path / "b", _log({"tool": tool, "results": [named]})).findings


def test_suppressions_and_baseline_state(tmp_path: Path) -> None:
    results = [
        {"ruleId": "R1", "suppressions": [{"kind": "inSource", "status": "accepted"}]},
        {"ruleId": "R1", "suppressions": [{"kind": "external", "status": "underReview"}]},
        {"ruleId": "R1", "suppressions": [{"status": "accepted"}, {"status": "rejected"}]},
        {"ruleId": "R1", "suppressions": [{"kind": "inSource"}]},  # no status: not accepted
        {"ruleId": "R1", "suppressions": [], "baselineState": "new"},
    ]
    log = read(tmp_path, _log({"tool": _rules({"id": "R1"}), "results": results}))
    assert [f.suppressed for f in log.findings] == [True, False, False, False, False]
    assert log.findings[4].baseline == "new"


@pytest.mark.parametrize(("run", "words"), [
    ({"invocations": [{"executionSuccessful": False}]}, "executionSuccessful is false"),
    ({"invocations": [{"executionSuccessful": True, "toolExecutionNotifications": [
        {"level": "error", "message": {"text": "out of memory"}}]}]}, "out of memory"),
    ({"tool": {"driver": {"name": "T", "notifications": [
        {"id": "N1", "defaultConfiguration": {"level": "error"}}]}},
      "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": [
          {"descriptor": {"id": "N1"}, "message": {"text": "extractor crashed"}}]}]},
     "extractor crashed"),  # the level comes from the notification's descriptor
    ({"invocations": [{"executionSuccessful": True, "notificationConfigurationOverrides": [
        {"descriptor": {"id": "N1"}, "configuration": {"level": "error"}}],
        "toolExecutionNotifications": [{"descriptor": {"id": "N1"},
                                        "message": {"text": "raised by override"}}]}],
      "tool": {"driver": {"name": "T", "notifications": [{"id": "N1"}]}}},
     "raised by override"),
    ({"results": None}, "no results array"),
])
def test_runs_that_did_not_finish(tmp_path: Path, run: dict[str, object], words: str) -> None:
    data = _log(run)
    if run.get("results", []) is None:
        data = json.dumps({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "T"}}}]}
                          ).encode()
    (failure,) = read(tmp_path, data).failures
    assert words in failure


def test_invocation_without_execution_status_is_invalid(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match="executionSuccessful must be true or false"):
        read(tmp_path, _log({"invocations": [{"toolExecutionNotifications": []}]}))


@pytest.mark.parametrize("raw", ['"NaN"', '"1e999"', "1e999", "1" + "0" * 400, '"-1"', "true"])
def test_security_severity_out_of_range_is_refused(tmp_path: Path, raw: str) -> None:
    body = ('{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "T", "rules": [{"id": '
            '"R1", "properties": {"security-severity": ' + raw + '}}]}}, "results": [{"ruleId": '
            '"R1"}]}]}')
    with pytest.raises(EvidenceError):
        read(tmp_path, body.encode())


def test_repeated_keys_are_refused(tmp_path: Path) -> None:
    body = (b'{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "T"}}, "results": '
            b'[{"ruleId": "R1", "level": "error", "level": "note"}]}]}')
    with pytest.raises(EvidenceError, match="duplicate key 'level'"):
        read(tmp_path, body)


def test_policies_are_refused(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match="policies"):
        read(tmp_path, _log({"policies": [{"name": "strict"}]}))
