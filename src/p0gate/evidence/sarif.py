"""sarif: SARIF 2.1.0 from any scanner (bandit, CodeQL, Semgrep, ESLint, ruff, Trivy…).

Each result becomes a ``Finding``. Its rule is found wherever the run describes it: the
driver or an extension (CodeQL's ``--sarif-group-rules-by-pack``), through ``ruleId``,
``ruleIndex`` or ``rule`` (see ``sarif_refs``). Its level follows SARIF §3.27.10: a ``kind``
other than ``fail`` means ``none``; else the result's ``level``; else the level a
``ruleConfigurationOverrides`` entry of the run's invocations gives the rule (the result's
``provenance.invocationIndex``, or the most severe over all invocations when none is named);
else the rule's ``defaultConfiguration.level``; else ``warning``. ``security-severity`` is the
higher of the resolved rule's and the result's own ``properties`` (a string or a number).

A run that did not complete (an invocation with ``executionSuccessful: false``, a tool
execution or configuration notification at level ``error``, or no ``results`` array) is
listed in ``failures``: its zero results prove nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from p0gate.evidence.reader import fail, json_document
from p0gate.evidence.sarif_refs import Obj, Tool, index_of, obj, objects, string_of

if TYPE_CHECKING:
    from p0gate.evidence.bundle import Blob
    from p0gate.yamlio import Json

Level = Literal["error", "warning", "note", "none"]
LEVELS: tuple[Level, ...] = ("error", "warning", "note", "none")
KINDS = ("fail", "pass", "open", "review", "informational", "notApplicable")
BASELINE_STATES = ("new", "unchanged", "updated", "absent")
_NOTIFICATION_LISTS = ("toolExecutionNotifications", "toolConfigurationNotifications")


@dataclass(frozen=True)
class Finding:
    tool: str
    rule_id: str
    level: Level
    message: str
    location: str
    security_severity: float | None
    kind: str = "fail"
    suppressed: bool = False  # every suppression of the result has status `accepted`
    baseline: str | None = None  # baselineState, when the producer compared runs


@dataclass(frozen=True)
class SarifLog:
    runs: int
    tools: tuple[str, ...]
    findings: tuple[Finding, ...]
    failures: tuple[str, ...] = ()  # runs that did not complete, and why


class SarifReader:
    kind: ClassVar[str] = "sarif"
    formats: ClassVar[str] = "SARIF 2.1.0 JSON"

    def read(self, blob: Blob) -> SarifLog:
        doc = json_document(blob)
        if not isinstance(doc, dict) or "runs" not in doc:
            raise fail(blob, "not SARIF: expected a JSON object with `version` and `runs`",
                       hint="export the scanner's results with its SARIF 2.1.0 output format")
        if doc.get("version") != "2.1.0":
            raise fail(blob, f"SARIF version {doc.get('version')!r} is not supported; "
                       "p0gate reads SARIF 2.1.0")
        if not isinstance(doc["runs"], list):
            raise fail(blob, "runs must be an array")
        runs = [_Run(blob, obj(blob, r, f"runs[{i}]"), f"runs[{i}]")
                for i, r in enumerate(doc["runs"])]
        return SarifLog(len(runs), tuple(r.tool.driver.name for r in runs),
                        tuple(f for r in runs for f in r.findings()),
                        tuple(why for r in runs for why in r.failures()))


class _Run:
    def __init__(self, blob: Blob, run: Obj, where: str) -> None:
        self.blob, self.run, self.where = blob, run, where
        self.tool = Tool(blob, obj(blob, run.get("tool"), f"{where}.tool"), f"{where}.tool")
        if run.get("policies"):
            raise fail(blob, f"{where}.policies: SARIF policies are not supported",
                       hint="export the results with the policy already applied to the levels")
        self.invocations = objects(blob, run.get("invocations"), f"{where}.invocations")
        self._resolved: dict[tuple[int, str], list[tuple[Obj | None, Level]]] = {}

    def failures(self) -> list[str]:
        name = f"{self.where} ({self.tool.driver.name})"
        found = [f"{name}: {why}" for i, inv in enumerate(self.invocations)
                 for why in self._invocation(inv, f"{self.where}.invocations[{i}]")]
        if self.run.get("results") is None:
            found.append(f"{name}: no results array (the tool did not report its results)")
        return found

    def _invocation(self, inv: Obj, where: str) -> list[str]:
        ok = inv.get("executionSuccessful")
        if not isinstance(ok, bool):
            raise fail(self.blob, f"{where}.executionSuccessful must be true or false")
        found = [] if ok else ["executionSuccessful is false"]
        for key in _NOTIFICATION_LISTS:
            for j, note in enumerate(objects(self.blob, inv.get(key), f"{where}.{key}")):
                if self._notification_level(inv, note, f"{where}.{key}[{j}]") == "error":
                    found.append(f"{key} at level error: {_message(note) or '(no message)'}")
        return found

    def _notification_level(self, inv: Obj, note: Obj, where: str) -> Level:
        if note.get("level") is not None:
            return _checked(self.blob, note.get("level"), f"{where}.level")
        ref = note.get("descriptor")
        if ref is None:
            return "warning"
        found = self.tool.descriptor(obj(self.blob, ref, f"{where}.descriptor"),
                                     "notifications", f"{where}.descriptor")
        if found is None:
            return "warning"
        return self._configured(found, [inv], "notificationConfigurationOverrides",
                                "notifications", where) or "warning"

    def findings(self) -> list[Finding]:
        results = objects(self.blob, self.run.get("results"), f"{self.where}.results")
        return [self._finding(r, f"{self.where}.results[{i}]") for i, r in enumerate(results)]

    def _finding(self, result: Obj, where: str) -> Finding:
        ref = _rule_ref(self.blob, result, where)
        rule = self.tool.descriptor(ref, "rules", f"{where}.rule") if ref else None
        kind, level = self._level(result, rule, where)
        rule_id = (ref or {}).get("id") or (rule or {}).get("id") or "(no rule id)"
        baseline = string_of(self.blob, result, "baselineState", where)
        if baseline is not None and baseline not in BASELINE_STATES:
            raise fail(self.blob, f"{where}.baselineState {baseline!r} is not one of "
                       f"{', '.join(BASELINE_STATES)}")
        return Finding(self.tool.driver.name, str(rule_id), level, _message(result),
                       _location(result), _severity(self.blob, rule, result, where), kind,
                       _suppressed(self.blob, result, where), baseline)

    def _level(self, result: Obj, rule: Obj | None, where: str) -> tuple[str, Level]:
        kind = result.get("kind", "fail")
        if kind not in KINDS:
            raise fail(self.blob, f"{where}.kind {kind!r} is not one of {', '.join(KINDS)}")
        raw = result.get("level")
        level = None if raw is None else _checked(self.blob, raw, f"{where}.level")
        if kind != "fail":
            if level not in (None, "none"):
                raise fail(self.blob, f"{where}: kind {kind!r} with level {level!r}; SARIF "
                           "allows only level none on a result that is not a failure")
            return str(kind), "none"
        if level is not None:
            return "fail", level
        configured = None
        if rule is not None:
            configured = self._configured(rule, self._invocations_of(result, where),
                                          "ruleConfigurationOverrides", "rules", where)
        return "fail", configured or "warning"

    def _invocations_of(self, result: Obj, where: str) -> list[Obj]:
        provenance = result.get("provenance")
        if provenance is None:
            return self.invocations
        index = index_of(self.blob, obj(self.blob, provenance, f"{where}.provenance"),
                         "invocationIndex", f"{where}.provenance")
        if index is None:
            return self.invocations
        if index >= len(self.invocations):
            raise fail(self.blob, f"{where}.provenance.invocationIndex {index}: the run has "
                       f"{len(self.invocations)} invocations")
        return [self.invocations[index]]

    def _overrides(self, inv: Obj, key: str, kind: str) -> list[tuple[Obj | None, Level]]:
        """An invocation's overrides as (descriptor, level), resolved once per run."""
        cache_key = (id(inv), key)
        if cache_key not in self._resolved:
            where = f"{self.where}.invocations[{self.invocations.index(inv)}].{key}"
            found: list[tuple[Obj | None, Level]] = []
            for j, override in enumerate(objects(self.blob, inv.get(key), where)):
                target = obj(self.blob, override.get("descriptor"), f"{where}[{j}].descriptor")
                level = _config_level(self.blob, override, "configuration", f"{where}[{j}]")
                if level is not None:
                    found.append((self.tool.descriptor(target, kind, f"{where}[{j}].descriptor"),
                                  level))
            self._resolved[cache_key] = found
        return self._resolved[cache_key]

    def _configured(self, descriptor: Obj, invocations: list[Obj], key: str, kind: str,
                    where: str) -> Level | None:
        """The override's level (most severe of several), else the descriptor's default."""
        levels = [level for inv in invocations
                  for target, level in self._overrides(inv, key, kind) if target is descriptor]
        if levels:
            return min(levels, key=LEVELS.index)
        return _config_level(self.blob, descriptor, "defaultConfiguration", where)


def _rule_ref(blob: Blob, result: Obj, where: str) -> Obj | None:
    """The result's rule reference: ``rule``, with ``ruleId``/``ruleIndex`` merged in."""
    ref = dict(obj(blob, result["rule"], f"{where}.rule")) if "rule" in result else {}
    for key, alias in (("id", "ruleId"), ("index", "ruleIndex")):
        value = result.get(alias)
        if value is None or value == -1:
            continue
        if key in ref and ref[key] != value:
            raise fail(blob, f"{where}: {alias} {value!r} but rule.{key} {ref[key]!r}",
                       hint="a result names one rule")
        ref[key] = value
    return ref or None


def _checked(blob: Blob, level: Json, where: str) -> Level:
    for known in LEVELS:
        if level == known:
            return known
    raise fail(blob, f"{where} {level!r} is not one of {', '.join(LEVELS)}")


def _config_level(blob: Blob, holder: Obj, key: str, where: str) -> Level | None:
    config = holder.get(key)
    if config is None:
        return None
    level = obj(blob, config, f"{where}.{key}").get("level")
    return None if level is None else _checked(blob, level, f"{where}.{key}.level")


def _severity(blob: Blob, rule: Obj | None, result: Obj, where: str) -> float | None:
    found: list[float] = []
    for holder in (rule, result):
        props = holder.get("properties") if holder else None
        if isinstance(props, dict) and props.get("security-severity") is not None:
            found.append(_severity_value(blob, props["security-severity"], where))
    return max(found) if found else None


def _severity_value(blob: Blob, raw: Json, where: str) -> float:
    try:
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            raise TypeError
        value = float(raw)
    except (TypeError, ValueError, OverflowError):
        raise fail(blob, f"{where}: security-severity {str(raw)[:40]!r} is not a number") \
            from None
    if not math.isfinite(value) or not 0 <= value <= 10:
        raise fail(blob, f"{where}: security-severity {value} is outside 0-10")
    return value


def _suppressed(blob: Blob, result: Obj, where: str) -> bool:
    """Suppressed only when every suppression is ``accepted`` (under review, rejected or an
    unknown status still counts)."""
    found = objects(blob, result.get("suppressions"), f"{where}.suppressions")
    return bool(found) and all(s.get("status") == "accepted" for s in found)


def _message(holder: Obj) -> str:
    message = holder.get("message")
    text = message.get("text") if isinstance(message, dict) else None
    return " ".join(str(text).split())[:200] if text else ""


def _location(result: Obj) -> str:
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
    where = str(uri)[:300] if uri else "(unknown file)"
    return f"{where}:{line}" if isinstance(line, int) and not isinstance(line, bool) else where
