"""metric: the scalar at a dotted path of a metrics document satisfies a comparator."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from p0gate.checks.base import Comparison, nothing_selected
from p0gate.errors import EvidenceError
from p0gate.evidence import kinds_read_by
from p0gate.evidence.metrics import Metrics, MetricsReader
from p0gate.outcome import CheckResult, Outcome, Values, fmt

if TYPE_CHECKING:
    from p0gate.checks.base import CheckContext


class MetricCheck(Comparison):
    """The number at ``path`` in every selected metrics artifact satisfies the comparator."""

    type: Literal["metric"]
    path: str = Field(min_length=1, description="dotted path, e.g. availability.percent")
    unit: str = Field("", description=(
        "the unit of the value, shown in every report: %, ms, s, days, users, /5, x …"))

    accepts: ClassVar[tuple[str, ...]] = kinds_read_by(MetricsReader)

    def unit_of(self, key: str) -> str:
        return self.unit if key.split("@", 1)[0] == self.path else ""

    def run(self, ctx: CheckContext) -> CheckResult:
        required: Values = {self.path: self.requirement()}
        artifacts = ctx.select(self)
        if not artifacts:
            return nothing_selected(self, required)
        found = [(a.id, value) for a in artifacts
                 for ok, value in [ctx.read(a, Metrics).get(self.path)] if ok]
        if not found:
            return CheckResult(Outcome.INCONCLUSIVE,
                               f"no value at {self.path!r} in the selected metrics",
                               required=required)
        measured: Values = {}
        misses = []
        for artifact_id, value in found:
            number = _number(artifact_id, self.path, value)
            key = self.path if len(found) == 1 else f"{self.path}@{artifact_id}"
            measured[key] = number
            if not self.holds(number):
                misses.append(f"{key} = {fmt(number)}")
        if misses:
            return CheckResult(Outcome.FAIL, f"{'; '.join(misses)} misses {self.requirement()}",
                               measured, required)
        shown = ", ".join(f"{k} = {fmt(float(v))}" for k, v in measured.items())
        return CheckResult(Outcome.PASS, f"{shown} meets {self.requirement()}", measured,
                           required)


def _number(artifact_id: str, path: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise EvidenceError(f"artifact {artifact_id!r}: {path} is {value!r}, not a number")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise EvidenceError(f"artifact {artifact_id!r}: {path} is {str(value)[:40]}, not a "
                            "finite number")
    return number
