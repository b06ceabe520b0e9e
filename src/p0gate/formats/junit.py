"""junit: one test case per control, one test suite per authority.

``fail`` and ``inconclusive`` are failures carrying the control's message, ``error`` is an
error, ``waived`` and ``not_applicable`` are skipped; ``pass`` is a plain test case.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, ClassVar

from p0gate.formats.base import PLAIN, ReportContext
from p0gate.formats.view import (
    authority_counts,
    by_authority,
    measured_items,
    required_items,
    source_file,
)
from p0gate.outcome import Outcome

if TYPE_CHECKING:
    from p0gate.result import ControlResult, Result


class JunitFormatter:
    name: ClassVar[str] = "junit"
    description: ClassVar[str] = "JUnit XML: a test case per control (CI test reports)"

    def render(self, result: Result, context: ReportContext = PLAIN) -> bytes:
        root = ET.Element(
            "testsuites", name=f"p0gate {result.gate} gate", tests=str(len(result.controls))
        )
        _totals(root, result.controls)
        for authority, controls in by_authority(result):
            root.append(_suite(result, authority, controls))
        ET.indent(root)
        data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
        return data + b"\n"


def _totals(element: ET.Element, controls: list[ControlResult]) -> None:
    counts = authority_counts(controls)
    element.set("failures", str(counts["fail"] + counts["inconclusive"]))
    element.set("errors", str(counts["error"]))
    element.set("skipped", str(counts["waived"] + counts["not_applicable"]))


def _suite(result: Result, authority: str, controls: list[ControlResult]) -> ET.Element:
    suite = ET.Element(
        "testsuite", name=authority, tests=str(len(controls)), timestamp=result.evaluated_at
    )
    _totals(suite, controls)
    props = ET.SubElement(suite, "properties")
    for key, val in (
        ("decision", result.decision),
        ("gate", result.gate),
        ("result_digest", result.digest),
        ("pack_digest", result.pack.digest),
        ("evidence_digest", result.bundle.evidence_digest),
    ):
        ET.SubElement(props, "property", name=key, value=val)
    for control in controls:
        suite.append(_case(control))
    return suite


def _case(control: ControlResult) -> ET.Element:
    file, line = source_file(control)
    case = ET.Element(
        "testcase",
        classname=f"p0gate.{control.authority}",
        name=f"{control.id}: {control.title}",
        file=file,
    )
    if line is not None:
        case.set("line", str(line))
    outcome = control.outcome
    detail = (f"measured: {', '.join(measured_items(control)) or '—'}\n"
              f"required: {', '.join(required_items(control)) or '—'}")
    if outcome in (Outcome.FAIL, Outcome.INCONCLUSIVE):
        ET.SubElement(case, "failure", message=control.message, type=outcome.value).text = detail
    elif outcome is Outcome.ERROR:
        ET.SubElement(case, "error", message=control.message, type="error").text = detail
    elif outcome is Outcome.WAIVED and control.waiver is not None:
        ET.SubElement(
            case,
            "skipped",
            message=f"waived until {control.waiver.expires} by "
            f"{control.waiver.approved_by}: {control.waiver.reason}",
        )
    elif outcome in (Outcome.WAIVED, Outcome.NOT_APPLICABLE):
        ET.SubElement(case, "skipped", message=control.message or outcome.value)
    return case
