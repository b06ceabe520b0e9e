"""junit: JUnit XML in the pytest, node --test, Jest, Gradle and Maven Surefire dialects.

Test cases are counted wherever they stand (node's runner may put one outside any
testsuite, suites nest); the totals that the file claims are never trusted. XML is parsed with
defusedxml: no external entities, no entity expansion; a repeated attribute is malformed XML.

A case's status is the worst its children and attributes say: ``<error>`` over ``<failure>``
over ``<skipped>`` (a case with both a skip and a failure failed). Surefire's reruns count as
failures: ``<rerunFailure>``/``<rerunError>`` (failed every rerun) and ``<flakyFailure>``/
``<flakyError>`` (failed, then passed on a rerun: a crisis path that fails sometimes is not
a pass). A ``status`` or ``result`` attribute that says failed or skipped (googletest,
some converters) counts like the element. A ``<failure>`` or ``<error>`` directly in a
``<testsuite>`` (a suite that could not run) becomes a case named ``(suite)``. Names are
compared after NFKC with invisible characters removed and spaces trimmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from p0gate.evidence.reader import fail
from p0gate.textmatch import clean

if TYPE_CHECKING:
    from p0gate.evidence.bundle import Blob

Status = Literal["passed", "failed", "error", "skipped"]
_STATUS_TAGS: dict[str, Status] = {
    "failure": "failed", "error": "error", "skipped": "skipped",
    "rerunFailure": "failed", "rerunError": "error", "flakyFailure": "failed",
    "flakyError": "error",
}
_STATUS_WORDS: dict[str, Status] = {
    "fail": "failed", "failed": "failed", "failure": "failed", "broken": "error",
    "error": "error", "errored": "error", "skipped": "skipped", "skip": "skipped",
    "notrun": "skipped", "disabled": "skipped", "ignored": "skipped", "pending": "skipped",
}
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
        if tag in {"testsuite", "testsuites"}:
            found.extend(_cases(child, child.get("name", suite), artifact))
        elif tag == "testcase":
            found.append(_case(child, suite, artifact))
        elif tag in {"failure", "error"} and _local(node.tag) == "testsuite":
            found.append(_case(node, suite, artifact, name="(suite)", only=child))
    return found


def _case(node: Element, suite: str, artifact: str, *, name: str | None = None,
          only: Element | None = None) -> TestCase:
    status: Status = "passed"
    message = ""
    word = (node.get("status") or node.get("result") or "") if only is None else ""
    if _STATUS_WORDS.get(clean(word).casefold()) is not None:
        status = _STATUS_WORDS[clean(word).casefold()]
        message = f"{'status' if node.get('status') else 'result'}={clean(word)}"
    for child in [only] if only is not None else list(node):
        found = _STATUS_TAGS.get(_local(child.tag))
        if found is not None and _RANK[found] > _RANK[status]:
            status = found
            lines = (child.get("message") or child.text or "").strip().splitlines()
            message = lines[0][:200] if lines else ""
            if _local(child.tag).startswith("flaky"):
                message = f"flaky (failed, then passed on a rerun): {message}".rstrip(": ")
    classname = clean(node.get("classname") or suite) if only is None else clean(suite)
    return TestCase(artifact, classname, name or clean(node.get("name", "")), status, message)
