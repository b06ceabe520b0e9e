from __future__ import annotations

import xml.etree.ElementTree as ET

from p0gate.formats.junit import JunitFormatter
from p0gate.result import Result
from tests.formats.conftest import Golden


def parse(data: bytes) -> object:
    def walk(e: ET.Element) -> object:
        return (e.tag, sorted(e.attrib.items()), (e.text or "").strip(), [walk(c) for c in e])

    return walk(ET.fromstring(data))


def cases(data: bytes) -> dict[str, ET.Element]:
    root = ET.fromstring(data)
    return {c.get("name", "").split(":")[0]: c for c in root.iter("testcase")}


def test_golden(sample: Result, golden: Golden) -> None:
    golden("junit.xml", JunitFormatter().render(sample), parse)


def test_outcomes_map_to_junit_states(sample: Result) -> None:
    found = cases(JunitFormatter().render(sample))
    assert found["CR-1-LATENCY"].find("failure") is not None
    assert found["CR-1-LATENCY"].find("failure").get("message") == sample.controls[0].message
    assert found["US-3-MONITORING-CRISIS"].find("failure").get("type") == "inconclusive"
    assert found["CR-5-988"].find("error") is not None
    assert "Jane Roe" in found["PF-1-SYNC"].find("skipped").get("message")
    assert found["CR-10-LOAD"].find("skipped") is not None
    assert list(found["CR-4-EMERGENCY-ACCESS"]) == []
    assert found["CR-1-LATENCY"].get("file") == "crisis.yaml"


def test_totals_count_every_control(example: Result) -> None:
    root = ET.fromstring(JunitFormatter().render(example))
    assert len(list(root.iter("testcase"))) == len(example.controls)
    failing = sum(1 for c in example.controls if c.outcome.value in ("fail", "inconclusive"))
    assert int(root.get("failures", "-1")) == failing
    suites = {s.get("name") for s in root.iter("testsuite")}
    assert suites == {c.authority for c in example.controls}
