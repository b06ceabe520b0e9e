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
                   "flakyBannerRender": "failed"}
    flaky = next(c for c in read(tmp_path / "f", "surefire.xml").cases
                 if c.name == "flakyBannerRender")
    assert flaky.message == "flaky (failed, then passed on a rerun): timeout"


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


def _one(tmp_path: Path, case: str, suite_extra: str = "") -> tuple[str, str, str]:
    xml = (f'<testsuites><testsuite name="s">{suite_extra}{case}</testsuite></testsuites>'
           ).encode()
    (found,) = read(tmp_path, "x.xml", xml).cases
    return found.key, found.status, found.message


@pytest.mark.parametrize(("case", "status"), [
    ('<testcase classname="c" name="t"><skipped/><failure message="boom"/></testcase>',
     "failed"),
    ('<testcase classname="c" name="t"><failure/><rerunFailure message="again"/></testcase>',
     "failed"),
    ('<testcase classname="c" name="t"><rerunError message="again"/></testcase>', "error"),
    ('<testcase classname="c" name="t"><flakyError message="once"/></testcase>', "error"),
    ('<testcase classname="c" name="t" status="failed"/>', "failed"),
    ('<testcase classname="c" name="t" status="run" result="completed"/>', "passed"),
    ('<testcase classname="c" name="t" status="notrun" result="suppressed"/>', "skipped"),
    ('<testcase classname="c" name="t" result=" Failed "/>', "failed"),
    ('<testcase classname="c" name="t"><system-out>failure</system-out></testcase>', "passed"),
])
def test_every_way_a_dialect_says_a_case_did_not_pass(tmp_path: Path, case: str,
                                                      status: str) -> None:
    assert _one(tmp_path, case)[1] == status


def test_a_suite_that_could_not_run_is_a_failed_case(tmp_path: Path) -> None:
    xml = (b'<testsuites><testsuite name="crisis"><error message="ImportError: no module"/>'
           b'</testsuite></testsuites>')
    (case,) = read(tmp_path, "x.xml", xml).cases
    assert (case.key, case.status) == ("crisis::(suite)", "error")
    assert case.message == "ImportError: no module"


def test_names_are_compared_without_invisible_characters(tmp_path: Path) -> None:
    key, _, _ = _one(tmp_path, '<testcase classname=" c\u200b " name="\u00a0test_988_dial"/>')
    assert key == "c::test_988_dial"


def test_nested_testsuites_elements(tmp_path: Path) -> None:
    xml = (b'<testsuites><testsuites name="inner"><testsuite name="s">'
           b'<testcase classname="c" name="t"><failure/></testcase></testsuite></testsuites>'
           b'</testsuites>')
    assert statuses(read(tmp_path, "x.xml", xml)) == {"c::t": "failed"}


def test_a_repeated_attribute_is_malformed(tmp_path: Path) -> None:
    xml = b'<testsuite><testcase classname="c" name="t" name="u"/></testsuite>'
    with pytest.raises(EvidenceError, match="not well-formed"):
        read(tmp_path, "x.xml", xml)
