"""sarif: SARIF 2.1.0 from any scanner (bandit, CodeQL, Semgrep, Trivy…).

Each result becomes a ``Finding`` with its effective level: the result's ``level``, else the
rule's ``defaultConfiguration.level``, else ``warning`` (SARIF §3.27.10; bandit leaves the
level out for medium severity). ``security-severity`` is read from the rule's ``properties``
(where GitHub code scanning looks), falling back to the result's own ``properties``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from p0gate.evidence.reader import fail, json_document

if TYPE_CHECKING:
    from p0gate.evidence.bundle import Blob
    from p0gate.yamlio import Json

Level = Literal["error", "warning", "note", "none"]
LEVELS: tuple[Level, ...] = ("error", "warning", "note", "none")
_Obj = dict[str, "Json"]


@dataclass(frozen=True)
class Finding:
    tool: str
    rule_id: str
    level: Level
    message: str
    location: str
    security_severity: float | None


@dataclass(frozen=True)
class SarifLog:
    runs: int
    tools: tuple[str, ...]
    findings: tuple[Finding, ...]


class SarifReader:
    kind: ClassVar[str] = "sarif"
    formats: ClassVar[str] = "SARIF 2.1.0 JSON"

    def read(self, blob: Blob) -> SarifLog:
        doc = json_document(blob)
        if not isinstance(doc, dict) or "runs" not in doc:
            raise fail(
                blob,
                "not SARIF: expected a JSON object with `version` and `runs`",
                hint="export the scanner's results with its SARIF 2.1.0 output format",
            )
        if doc.get("version") != "2.1.0":
            raise fail(
                blob,
                f"SARIF version {doc.get('version')!r} is not supported; p0gate reads SARIF 2.1.0",
            )
        runs = _list(blob, doc["runs"], "runs")
        findings: list[Finding] = []
        tools: list[str] = []
        for i, run in enumerate(runs):
            tool, found = _run(blob, _obj(blob, run, f"runs[{i}]"), f"runs[{i}]")
            tools.append(tool)
            findings.extend(found)
        return SarifLog(len(runs), tuple(tools), tuple(findings))


def _obj(blob: Blob, value: Json, where: str) -> _Obj:
    if not isinstance(value, dict):
        raise fail(blob, f"{where} must be an object")
    return value


def _list(blob: Blob, value: Json, where: str) -> list[Json]:
    if not isinstance(value, list):
        raise fail(blob, f"{where} must be an array")
    return value


def _run(blob: Blob, run: _Obj, where: str) -> tuple[str, list[Finding]]:
    tool = _obj(blob, run.get("tool"), f"{where}.tool")
    driver = _obj(blob, tool.get("driver"), f"{where}.tool.driver")
    name = driver.get("name")
    if not isinstance(name, str):
        raise fail(blob, f"{where}.tool.driver.name must be a string")
    rules = [
        _obj(blob, r, f"{where}.tool.driver.rules[{i}]")
        for i, r in enumerate(_list(blob, driver.get("rules", []), f"{where}.rules"))
    ]
    by_id = {r["id"]: r for r in rules if isinstance(r.get("id"), str)}
    results = _list(blob, run.get("results", []), f"{where}.results")
    found = [
        _finding(
            blob,
            name,
            _obj(blob, r, f"{where}.results[{i}]"),
            rules,
            by_id,
            f"{where}.results[{i}]",
        )
        for i, r in enumerate(results)
    ]
    return name, found


def _finding(
    blob: Blob, tool: str, result: _Obj, rules: list[_Obj], by_id: dict[Json, _Obj], where: str
) -> Finding:
    rule = _rule(result, rules, by_id)
    rule_id = result.get("ruleId") or (rule or {}).get("id") or "(no rule id)"
    level = _level(blob, result, rule, where)
    severity = _severity(blob, rule, result, where)
    return Finding(tool, str(rule_id), level, _message(result), _location(result), severity)


def _rule(result: _Obj, rules: list[_Obj], by_id: dict[Json, _Obj]) -> _Obj | None:
    index = result.get("ruleIndex")
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(rules):
        return rules[index]
    return by_id.get(result.get("ruleId"))


def _level(blob: Blob, result: _Obj, rule: _Obj | None, where: str) -> Level:
    level = result.get("level")
    if level is None and rule is not None:
        config = rule.get("defaultConfiguration")
        level = config.get("level") if isinstance(config, dict) else None
    if level is None:
        return "warning"
    if level not in LEVELS:
        raise fail(blob, f"{where}.level {level!r} is not one of {', '.join(LEVELS)}")
    return level


def _severity(blob: Blob, rule: _Obj | None, result: _Obj, where: str) -> float | None:
    for holder in (rule, result):
        props = holder.get("properties") if holder else None
        if isinstance(props, dict) and "security-severity" in props:
            raw = props["security-severity"]
            try:
                value = float(raw)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                raise fail(blob, f"{where}: security-severity {raw!r} is not a number") from None
            if not 0 <= value <= 10:
                raise fail(blob, f"{where}: security-severity {value} is outside 0-10")
            return value
    return None


def _message(result: _Obj) -> str:
    message = result.get("message")
    text = message.get("text") if isinstance(message, dict) else None
    return " ".join(str(text).split())[:200] if text else ""


def _location(result: _Obj) -> str:
    locations = result.get("locations")
    if not isinstance(locations, list) or not locations or not isinstance(locations[0], dict):
        return "(no location)"
    physical = locations[0].get("physicalLocation")
    if not isinstance(physical, dict):
        return "(no location)"
    artifact = physical.get("artifactLocation")
    uri = artifact.get("uri") if isinstance(artifact, dict) else None
    region = physical.get("region")
    line = region.get("startLine") if isinstance(region, dict) else None
    where = str(uri) if uri else "(unknown file)"
    return f"{where}:{line}" if isinstance(line, int) else where
