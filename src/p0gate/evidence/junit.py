"""junit: JUnit XML in the pytest, node --test, Jest, Gradle and Maven Surefire dialects.

Test cases are counted wherever they stand (node's runner may put one outside any
testsuite); the totals that the file claims are never trusted. XML is parsed with
defusedxml: no external entities, no entity expansion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from p0gate.evidence.reader import fail

if TYPE_CHECKING:
    from p0gate.evidence.bundle import Blob

Status = Literal["passed", "failed", "error", "skipped"]
_STATUS_TAGS: dict[str, Status] = {"failure": "failed", "error": "error", "skipped": "skipped"}
_RANK: dict[Status, int] = {"passed": 0, "skipped": 1, "failed": 2, "error": 3}


@dataclass(frozen=True)
class TestCase:
    __test__ = False  # not a pytest class

    artifact: str
    classname: str
    name: str
    status: Status
    message: str

    @property
    def key(self) -> str:
        """``classname::name``, the string that a tests check's `select` glob matches."""
        return f"{self.classname}::{self.name}"


@dataclass(frozen=True)
class JUnitReport:
    cases: tuple[TestCase, ...]


class JUnitReader:
    kind: ClassVar[str] = "junit"
    formats: ClassVar[str] = "JUnit XML"

    def read(self, blob: Blob) -> JUnitReport:
        try:
            root = fromstring(blob.data, forbid_dtd=True)
        except DefusedXmlException as exc:
            raise fail(blob, f"refused XML: {type(exc).__name__}",
                       hint="JUnit files need no DTDs or entities") from None
        except ParseError as exc:
            raise fail(blob, f"not well-formed XML: {exc}") from None
        if _local(root.tag) not in {"testsuites", "testsuite"}:
            raise fail(blob, f"root element is <{_local(root.tag)}>, not <testsuites> or "
                       "<testsuite>: this is not JUnit XML")
        cases = tuple(_cases(root, "", blob.artifact.id))
        return JUnitReport(cases)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _cases(node: Element, suite: str, artifact: str) -> list[TestCase]:
    found: list[TestCase] = []
    for child in node:
        tag = _local(child.tag)
        if tag == "testsuite":
            found.extend(_cases(child, child.get("name", suite), artifact))
        elif tag == "testcase":
            found.append(_case(child, suite, artifact))
    return found


def _case(node: Element, suite: str, artifact: str) -> TestCase:
    status: Status = "passed"
    message = ""
    for child in node:
        found = _STATUS_TAGS.get(_local(child.tag))
        if found is not None and _RANK[found] > _RANK[status]:
            status = found
            lines = (child.get("message") or child.text or "").strip().splitlines()
            message = lines[0][:200] if lines else ""
    classname = (node.get("classname") or suite).strip()  # jest-junit pads names
    return TestCase(artifact, classname, node.get("name", "").strip(), status, message)
