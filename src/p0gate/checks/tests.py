"""tests: every selected JUnit case passed, and enough were selected."""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from p0gate.checks.base import CheckParams, nothing_selected
from p0gate.evidence import kinds_read_by
from p0gate.evidence.junit import JUnitReader, JUnitReport, TestCase
from p0gate.outcome import CheckResult, Outcome, Values
from p0gate.textmatch import fold

if TYPE_CHECKING:
    from p0gate.checks.base import CheckContext

SHOWN = 5


class TestsCheck(CheckParams):
    """Every JUnit case matching ``select`` passed, and at least ``min_cases`` matched."""

    __test__ = False  # not a pytest class

    type: Literal["tests"]
    select: str = Field("*", min_length=1, description=(
        "glob on classname::name, matched ignoring case, spacing and invisible characters"))
    min_cases: int = Field(1, ge=1, description="at least this many cases must be selected")
    allow_skipped: bool = Field(False, description="skipped cases neither fail nor count")

    accepts: ClassVar[tuple[str, ...]] = kinds_read_by(JUnitReader)
    UNITS: ClassVar[dict[str, str]] = dict.fromkeys(
        ("selected", "passed", "failed", "error", "skipped", "min_cases"), "cases")

    def run(self, ctx: CheckContext) -> CheckResult:
        required: Values = {"select": self.select, "min_cases": self.min_cases}
        artifacts = ctx.select(self)
        if not artifacts:
            return nothing_selected(self, required)
        pattern = fold(self.select)  # a case renamed tesT_988 is still a 988 test
        cases = [case for a in artifacts for case in ctx.read(a, JUnitReport).cases
                 if fnmatchcase(fold(case.key), pattern)]
        by = {s: [c for c in cases if c.status == s]
              for s in ("passed", "failed", "error", "skipped")}
        measured: Values = {"selected": len(cases), **{s: len(v) for s, v in by.items()}}
        broken = by["failed"] + by["error"]
        if broken:
            return CheckResult(Outcome.FAIL, f"{len(broken)} of {len(cases)} selected cases "
                               f"did not pass: {_names(broken)}", measured, required)
        if by["skipped"] and not self.allow_skipped:
            return CheckResult(Outcome.INCONCLUSIVE, f"{len(by['skipped'])} selected cases "
                               f"were skipped: {_names(by['skipped'])}", measured, required)
        if len(by["passed"]) < self.min_cases:
            return CheckResult(Outcome.INCONCLUSIVE, f"{len(by['passed'])} passing cases match "
                               f"{self.select!r}; at least {self.min_cases} needed",
                               measured, required)
        return CheckResult(Outcome.PASS, f"all {len(by['passed'])} selected cases passed",
                           measured, required)


def _names(cases: list[TestCase]) -> str:
    shown = ", ".join(c.key + (f" ({c.message})" if c.message else "") for c in cases[:SHOWN])
    return shown + (f" and {len(cases) - SHOWN} more" if len(cases) > SHOWN else "")
