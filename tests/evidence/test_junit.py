"""The junit reader on real files from pytest, node --test, Jest (and a Surefire-format file)."""

from pathlib import Path

import pytest

from p0gate.errors import EvidenceError
from p0gate.evidence.junit import JUnitReader, JUnitReport
from tests.bundlekit import File, make_bundle
from tests.conftest import TEST_DATA

DATA = TEST_DATA / "junit"


def read(tmp_path: Path, name: str, data: bytes | None = None) -> JUnitReport:
    raw = data if data is not None else (DATA / name).read_bytes()
    bundle = make_bundle(tmp_path, [File("t", "junit", name, raw)])
    return JUnitReader().read(bundle.blob(bundle.manifest.artifacts[0]))


def statuses(report: JUnitReport) -> dict[str, str]:
    return {c.key: c.status for c in report.cases}


def test_pytest_cases_with_failure_error_and_skip(tmp_path: Path) -> None:
    got = statuses(read(tmp_path, "pytest.xml"))
    mod = "tests.data.junit.sources.sample_suite"
    assert got == {
        f"{mod}::test_988_call_dials_lifeline": "passed",
        f"{mod}::test_988_text_opens_sms": "passed",
        f"{mod}::test_offline_plan_cached": "failed",
        f"{mod}::test_multi_device_alert": "skipped",
        f"{mod}.TestEmergencyContact::test_sync_preserved": "passed",
        f"{mod}.TestEmergencyContact::test_error_in_setup": "error",
    }


def test_node_cases_outside_any_testsuite_are_counted(tmp_path: Path) -> None:
    report = read(tmp_path, "node.xml")
    got = {c.name: c.status for c in report.cases}
    assert got == {"top level 988 dial": "passed", "top level offline fails": "failed",
                   "alert propagates": "passed", "skipped case": "skipped"}
    failing = next(c for c in report.cases if c.status == "failed")
    assert "strictly equal" in failing.message


def test_jest_junit(tmp_path: Path) -> None:
    got = {c.name: c.status for c in read(tmp_path, "jest.xml").cases}
    assert got == {"988 integration call dials lifeline": "passed",
                   "988 integration text opens sms": "failed",
                   "988 integration chat link": "skipped",
                   "offline plan cached": "passed"}


def test_surefire_format_root_testsuite_and_flaky(tmp_path: Path) -> None:
    got = {c.name: c.status for c in read(tmp_path, "surefire.xml").cases}
    assert got == {"emergencyContactSurvivesSync": "passed", "crisisPlanPropagates": "failed",
                   "keyRotationKeepsContacts": "error", "offlineDialFallback": "skipped",
                   "flakyBannerRender": "passed"}


def test_totals_in_the_file_are_not_trusted(tmp_path: Path) -> None:
    lying = (b'<testsuites tests="100" failures="0"><testsuite name="s" tests="100">'
             b'<testcase classname="c" name="a"><failure message="boom"/></testcase>'
             b"</testsuite></testsuites>")
    report = read(tmp_path, "lying.xml", lying)
    assert [(c.key, c.status, c.message) for c in report.cases] == [("c::a", "failed", "boom")]


@pytest.mark.parametrize(("data", "needle"), [
    (b"<html><body/></html>", "not JUnit XML"),
    (b"<testsuites><testcase", "not well-formed"),
    (b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     b"<testsuites><testcase name='&x;'/></testsuites>", "refused XML"),
    (b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
     b"<testsuites><testcase name='&b;'/></testsuites>", "refused XML"),
])
def test_bad_xml_is_an_error_naming_the_artifact(tmp_path: Path, data: bytes,
                                                 needle: str) -> None:
    with pytest.raises(EvidenceError, match=needle) as info:
        read(tmp_path, "bad.xml", data)
    assert "'t' (bad.xml)" in str(info.value)
