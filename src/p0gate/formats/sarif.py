"""sarif: SARIF 2.1.0 for code scanning; a rule per control, a result per non-passing control.

Rule ids are control ids (stable across runs). Severity maps to the rule's default level and
to ``security-severity`` in its properties. Each result points at the policy file and line
of its control, relative to the pack folder (uri base ``PACKROOT``). A waived control is a
result with a suppression, so it stays visible without alerting.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, ClassVar

from p0gate.formats.view import source_file, values
from p0gate.outcome import Outcome

if TYPE_CHECKING:
    from p0gate.result import ControlResult, Result

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
REPORTED = (Outcome.FAIL, Outcome.INCONCLUSIVE, Outcome.ERROR, Outcome.WAIVED)
Json = dict[str, object]


class SarifFormatter:
    name: ClassVar[str] = "sarif"
    description: ClassVar[str] = "SARIF 2.1.0: a result per non-passing control (code scanning)"

    def render(self, result: Result) -> bytes:
        run: Json = {
            "tool": {"driver": _driver(result)},
            "originalUriBaseIds": {
                "PACKROOT": {"description": {"text": "the policy pack folder (--policies)"}}
            },
            "results": [_result(c) for c in result.controls if c.outcome in REPORTED],
            "invocations": [{"executionSuccessful": True, "endTimeUtc": result.evaluated_at}],
            "properties": {
                "decision": result.decision,
                "gate": result.gate,
                "digest": result.digest,
                "pack": result.pack.model_dump(),
                "evidence_digest": result.bundle.evidence_digest,
            },
        }
        document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
        return json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"


def _driver(result: Result) -> Json:
    return {
        "name": "p0gate",
        "version": result.tool.version,
        "informationUri": "https://github.com/p0gate/p0gate",
        "rules": [_rule(c) for c in result.controls],
    }


def _rule(control: ControlResult) -> Json:
    tags = [
        control.authority,
        control.severity,
        *(f"{r.framework}:{r.id}" for r in control.references),
    ]
    rule: Json = {
        "id": control.id,
        "name": control.id.title().replace("-", ""),
        "shortDescription": {"text": control.title},
        "defaultConfiguration": {"level": LEVELS[control.severity]},
        "properties": {
            "security-severity": SECURITY_SEVERITY[control.severity],
            "tags": tags,
            "blocking": control.blocking,
        },
    }
    if control.remediation:
        rule["help"] = {"text": control.remediation}
    return rule


def _result(control: ControlResult) -> Json:
    file, line = source_file(control)
    location: Json = {"artifactLocation": {"uri": file, "uriBaseId": "PACKROOT"}}
    if line is not None:
        location["region"] = {"startLine": line}
    found: Json = {
        "ruleId": control.id,
        "level": _level(control),
        "message": {
            "text": f"{control.outcome.value}: {control.message} "
            f"(measured {values(control.measured)}; "
            f"required {values(control.required)})"
        },
        "locations": [{"physicalLocation": location}],
        "properties": {
            "outcome": control.outcome.value,
            "measured": control.measured,
            "required": control.required,
            "alert_level": control.alert_level,
            "rollback": control.rollback,
        },
    }
    if control.waiver is not None and control.outcome is Outcome.WAIVED:
        found["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f"{control.waiver.reason} (approved by "
                f"{control.waiver.approved_by}, {control.waiver.role}, "
                f"until {control.waiver.expires})",
            }
        ]
    return found


def _level(control: ControlResult) -> str:
    if control.outcome is Outcome.ERROR:
        return "error"
    if control.outcome is Outcome.INCONCLUSIVE:
        return "warning" if LEVELS[control.severity] == "error" else LEVELS[control.severity]
    return LEVELS[control.severity]
