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
