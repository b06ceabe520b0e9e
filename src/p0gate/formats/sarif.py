"""sarif: SARIF 2.1.0 for code scanning; a rule per control, a result per non-passing control.

What GitHub code scanning reads, and how p0gate fills it:

- Rule ids are control ids (stable across runs); the rule's default level follows the
  control's severity.
- ``security-severity`` (and the ``security`` tag) only on the rules of controls whose
  authority the pack marks as security: an authority in ``pack.yaml`` whose ``role`` has the
  word ``security`` in it (``security-authority``, ``product-security``). A latency miss is
  not a High security alert. A pack without authorities has no security rules.
- Each result points at its control's policy file and line, relative to the repository root
  (``uriBaseId`` ``%SRCROOT%``; the CLI's ``--sarif-root``, by default the git top level).
  A pack outside that root keeps a location relative to the pack (``PACKROOT``).
- ``partialFingerprints`` identify an alert across runs by pack, system and control, so a
  moved line or a new message is the same alert; ``automationDetails`` makes each system
  and gate (and monitoring at it) its own analysis category.
- A waived control is a result with an accepted external suppression: visible, no alert.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, ClassVar

from p0gate.formats.base import PLAIN, ReportContext
from p0gate.formats.view import measured_items, required_items, source_file
from p0gate.outcome import Outcome

if TYPE_CHECKING:
    from p0gate.result import ControlResult, Result

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
REPORTED = (Outcome.FAIL, Outcome.INCONCLUSIVE, Outcome.ERROR, Outcome.WAIVED)
FINGERPRINT = "p0gateControl/v1"
Json = dict[str, object]


class SarifFormatter:
    name: ClassVar[str] = "sarif"
    description: ClassVar[str] = "SARIF 2.1.0: a result per non-passing control (code scanning)"

    def render(self, result: Result, context: ReportContext = PLAIN) -> bytes:
        base = _pack_base(context)
        rules = [_rule(c, security=c.authority in security_authorities(result))
                 for c in result.controls]
        run: Json = {
            "tool": {"driver": _driver(result, rules)},
            "automationDetails": {"id": _category(result)},
            "originalUriBaseIds": _bases(base),
            "results": [_result(result, c, i, base) for i, c in enumerate(result.controls)
                        if c.outcome in REPORTED],
            "invocations": [{"executionSuccessful": True, "endTimeUtc": result.evaluated_at}],
            "properties": {
                "decision": result.decision, "gate": result.gate, "mode": result.mode,
                "digest": result.digest,
                "pack": {"name": result.pack.name, "digest": result.pack.digest},
                "evidence_digest": result.bundle.evidence_digest,
            },
        }
        document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
        return json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"


def security_authorities(result: Result) -> set[str]:
    """The authorities whose role has the word ``security`` in it."""
    return {a.id for a in result.pack.authorities
            if "security" in re.split(r"[^a-z0-9]+", a.role.lower())}


def _pack_base(context: ReportContext) -> str | None:
    """The pack folder relative to the SARIF root, or None when it is not inside it."""
    if context.pack_root is None or context.sarif_root is None:
        return None
    try:
        rel = context.pack_root.resolve().relative_to(context.sarif_root.resolve())
    except ValueError:
        return None
    return rel.as_posix()


def _bases(base: str | None) -> Json:
    if base is not None:
        return {"%SRCROOT%": {"description": {"text": "the repository root (--sarif-root)"}}}
    return {"PACKROOT": {"description": {"text": "the policy pack folder (--policies)"}}}


def _system(result: Result) -> str:
    return str(result.bundle.metadata.get("system") or "system")


def _category(result: Result) -> str:
    """One analysis per system and gate; monitoring a gate is an analysis of its own, so its
    alerts never close those of the gate's evaluation."""
    monitor = "monitor/" if result.mode == "monitor" else ""
    return f"p0gate/{_system(result)}/{result.gate}/{monitor}"


def _driver(result: Result, rules: list[Json]) -> Json:
    return {"name": "p0gate", "version": result.tool.version,
            "informationUri": "https://github.com/p0gate/p0gate", "rules": rules}


def _rule(control: ControlResult, *, security: bool) -> Json:
    tags = list(dict.fromkeys([*(["security"] if security else []), control.authority,
                               control.severity,
                               *(f"{r.framework}:{r.id}" for r in control.references)]))
    properties: Json = {"tags": tags, "blocking": control.blocking, "precision": "very-high"}
    if security:
        properties["security-severity"] = SECURITY_SEVERITY[control.severity]
    rule: Json = {
        "id": control.id,
        "name": control.id.title().replace("-", ""),
        "shortDescription": {"text": control.title},
        "fullDescription": {"text": f"{control.title} ({control.severity}, "
                            f"{'blocking' if control.blocking else 'non-blocking'})"},
        "defaultConfiguration": {"level": LEVELS[control.severity]},
        "properties": properties,
    }
    if control.remediation:
        rule["help"] = {"text": control.remediation,
                        "markdown": f"**Remediation.** {control.remediation}"}
    return rule


def _location(control: ControlResult, base: str | None) -> Json:
    file, line = source_file(control)
    if base is None:
        artifact: Json = {"uri": file, "uriBaseId": "PACKROOT"}
    else:
        artifact = {"uri": str(PurePosixPath(base, file)) if base != "." else file,
                    "uriBaseId": "%SRCROOT%"}
    location: Json = {"artifactLocation": artifact}
    if line is not None:
        location["region"] = {"startLine": line}
    return {"physicalLocation": location}


def fingerprint(result: Result, control: ControlResult) -> str:
    """The same for the same pack, system and control, whatever the run."""
    key = f"{result.pack.name}\0{_system(result)}\0{control.id}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _message(control: ControlResult) -> str:
    measured = ", ".join(measured_items(control)) or "—"
    required = ", ".join(required_items(control)) or "—"
    return f"{control.outcome.value}: {control.message} (measured {measured}; required {required})"


def _result(result: Result, control: ControlResult, index: int, base: str | None) -> Json:
    found: Json = {
        "ruleId": control.id,
        "ruleIndex": index,
        "level": _level(control),
        "message": {"text": _message(control)},
        "locations": [_location(control, base)],
        "partialFingerprints": {FINGERPRINT: fingerprint(result, control)},
        "properties": {"outcome": control.outcome.value, "measured": control.measured,
                       "required": control.required, "units": control.units,
                       "alert_level": control.alert_level, "rollback": control.rollback},
    }
    if control.waiver is not None and control.outcome is Outcome.WAIVED:
        found["suppressions"] = [{
            "kind": "external", "status": "accepted",
            "justification": f"{control.waiver.reason} (approved by "
            f"{control.waiver.approved_by}, {control.waiver.role}, "
            f"until {control.waiver.expires})",
        }]
    return found


def _level(control: ControlResult) -> str:
    if control.outcome is Outcome.ERROR:
        return "error"
    if control.outcome is Outcome.INCONCLUSIVE:
        return "warning" if LEVELS[control.severity] == "error" else LEVELS[control.severity]
    return LEVELS[control.severity]

