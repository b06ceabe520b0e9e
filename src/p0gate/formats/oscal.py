"""oscal: OSCAL 1.1 assessment-results JSON, one finding and one observation per control.

UUIDs are version 5, derived from the result digest, so the same result always gives the
same document. A control that is not applicable gets no finding; ``pass`` is ``satisfied``,
anything else ``not-satisfied`` with p0gate's outcome in the finding's properties.
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, ClassVar

from p0gate.formats.base import PLAIN, ReportContext
from p0gate.formats.view import gate_line, measured_items, required_items, system_line
from p0gate.outcome import Outcome

if TYPE_CHECKING:
    from p0gate.result import ControlResult, Result

NS = "https://p0gate.dev/ns/oscal"
OSCAL_VERSION = "1.1.2"
Json = dict[str, object]


class OscalFormatter:
    name: ClassVar[str] = "oscal"
    description: ClassVar[str] = "OSCAL assessment-results JSON (GRC tools, compliance-trestle)"

    def render(self, result: Result, context: ReportContext = PLAIN) -> bytes:
        applicable = [c for c in result.controls if c.outcome is not Outcome.NOT_APPLICABLE]
        document = {
            "assessment-results": {
                "uuid": _uuid(result, "assessment-results"),
                "metadata": _metadata(result),
                "import-ap": {
                    "href": f"#p0gate-pack-{result.pack.digest[:16]}",
                    "remarks": f"the assessment plan is the policy pack "
                    f"{result.pack.name}, digest {result.pack.digest}",
                },
                "results": [_result(result, applicable)],
            }
        }
        return json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"


def _uuid(result: Result, name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{NS}/{result.digest}/{name}"))


def _prop(name: str, value: object) -> Json:
    return {"name": name, "ns": NS, "value": str(value)}


def _metadata(result: Result) -> Json:
    return {
        "title": f"p0gate {result.gate} gate: {system_line(result)}",
        "last-modified": result.evaluated_at,
        "version": result.digest[:16],
        "oscal-version": OSCAL_VERSION,
        "props": [
            _prop("result-digest", result.digest),
            _prop("tool-version", result.tool.version),
        ],
    }


def _result(result: Result, controls: list[ControlResult]) -> Json:
    return {
        "uuid": _uuid(result, "result"),
        "title": f"{result.decision} for the {gate_line(result)}",
        "description": f"p0gate evaluation of {system_line(result)} against "
        f"{result.pack.name}; decision {result.decision}.",
        "start": result.evaluated_at,
        "end": result.evaluated_at,
        "props": [
            _prop("decision", result.decision),
            _prop("gate", result.gate),
            _prop("evidence-digest", result.bundle.evidence_digest),
            _prop("pack-digest", result.pack.digest),
        ],
        "reviewed-controls": {"control-selections": [{"include-all": {}}]},
        "observations": [_observation(result, c) for c in controls],
        "findings": [_finding(result, c) for c in controls],
    }


def _observation(result: Result, control: ControlResult) -> Json:
    observation: Json = {
        "uuid": _uuid(result, f"observation/{control.id}"),
        "title": f"{control.id} measurement",
        "description": f"measured {', '.join(measured_items(control)) or '—'}; "
        f"required {', '.join(required_items(control)) or '—'}. {control.message}".strip(),
        "methods": ["TEST"],
        "collected": result.evaluated_at,
    }
    evidence = [
        {
            "href": f"#{ref.id}",
            "description": f"{ref.kind} {ref.path}"
            + (f" sha256 {ref.sha256}" if ref.sha256 else ""),
        }
        for ref in control.evidence
    ]
    if evidence:
        observation["relevant-evidence"] = evidence
    return observation


def _finding(result: Result, control: ControlResult) -> Json:
    state = "satisfied" if control.outcome is Outcome.PASS else "not-satisfied"
    reason = {Outcome.PASS: "pass", Outcome.FAIL: "fail"}.get(control.outcome, "other")
    return {
        "uuid": _uuid(result, f"finding/{control.id}"),
        "title": f"{control.id}: {control.title}",
        "description": control.message or control.title,
        "props": [
            _prop("outcome", control.outcome.value),
            _prop("severity", control.severity),
            _prop("blocking", str(control.blocking).lower()),
            _prop("authority", control.authority),
        ],
        "target": {
            "type": "objective-id",
            "target-id": control.id,
            "status": {"state": state, "reason": reason},
        },
        "related-observations": [{"observation-uuid": _uuid(result, f"observation/{control.id}")}],
    }
