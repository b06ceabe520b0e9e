"""tests over JUnit: one failing crisis test, in any dialect's words and place, never passes."""

from __future__ import annotations

from hypothesis import strategies as st

from p0gate.checks.base import Outcome
from p0gate.checks.tests import TestsCheck
from tests.bundlekit import File
from tests.metamorphic.kit import EXAMPLE, never_passes, passes, respelled, run_relation

BASE = (EXAMPLE / "crisis" / "junit.xml").read_text()
CHECK = TestsCheck.model_validate({"type": "tests", "artifact": "t",
                                   "select": "*::test_988_*", "min_cases": 3})
VERDICTS = [
    '<failure message="expected 988"/>', "<failure/>", '<error message="crash">trace</error>',
    '<skipped/><failure message="after skip"/>', '<failure/><skipped message="then skipped"/>',
    '<failure message="x"/><rerunFailure message="again"/>',
    '<flakyFailure message="once">trace</flakyFailure>', '<flakyError message="once"/>',
    '<rerunError message="every rerun"/>',
]
ATTRIBUTES = [' status="failed"', ' result="failed"', ' status="FAIL"', ' status="error"']


@st.composite
def failing_case(draw: st.DrawFn) -> str:
    name = "test_988_text_reaches_counselor"
    attributes = [f'classname="{draw(st.sampled_from(["tests.test_988", " tests.test_988 "]))}"',
                  f'name="{draw(respelled(name)) if draw(st.booleans()) else name}"',
                  'time="0.031"']
    attrs = " ".join(draw(st.permutations(attributes)))
    if draw(st.booleans()):
        return f"<testcase {attrs}{draw(st.sampled_from(ATTRIBUTES))}/>"
    return f"<testcase {attrs}>{draw(st.sampled_from(VERDICTS))}</testcase>"


@st.composite
def placed(draw: st.DrawFn) -> bytes:
    """The case inside the suite, in a nested suite, or outside any suite (node's runner)."""
    case = draw(failing_case())
    where = draw(st.sampled_from(["suite", "nested", "top"]))
    if where == "suite":
        xml = BASE.replace("</testsuite>", case + "</testsuite>", 1)
    elif where == "nested":
        xml = BASE.replace("</testsuite>", f'<testsuite name="inner">{case}</testsuite>'
                           "</testsuite>", 1)
    else:
        xml = BASE.replace("</testsuites>", case + "</testsuites>", 1)
    return xml.encode()


def test_a_failing_crisis_test_is_never_hidden() -> None:
    passes(CHECK, [File("t", "junit", "junit.xml", BASE.encode())])

    def relation(data: object) -> None:
        got = never_passes(CHECK, [File("t", "junit", "junit.xml", data)])  # type: ignore[arg-type]
        assert got is Outcome.FAIL

    run_relation(placed(), relation)
