"""assessment-accuracy: the app scores PHQ-9 / GAD-7 exactly as the reference does.

Every response of the instrument is scored by p0gate (``clinical.scoring``); the app's total
(always), band and crisis flag (where given) must match. An invalid response (an answer
outside 0-3, a missing item) must not carry a total unless ``prorate`` is on and the rule
allows it. A crisis flag of ``false`` on a response whose item 9 is unanswered is a
disagreement: unknown risk is never imputed. With ``require_band_coverage`` the valid
responses must reach every severity band, or the accuracy claim is ``inconclusive``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from p0gate.checks.base import CheckParams, nothing_selected
from p0gate.clinical.instruments import INSTRUMENTS, Instrument
from p0gate.clinical.responses import AssessmentScores, Response
from p0gate.clinical.scoring import Score, score
from p0gate.evidence import kinds_read_by
from p0gate.evidence.assessment import AssessmentReader
from p0gate.outcome import CheckResult, Outcome, Values

if TYPE_CHECKING:
    from p0gate.checks.base import CheckContext

SHOWN = 200


@dataclass(frozen=True)
class Disagreement:
    response_id: str
    field: str
    app: str
    reference: str

    def __str__(self) -> str:
        return f"{self.response_id} {self.field}: app {self.app}, reference {self.reference}"


def _show(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def disagreements(response: Response, ref: Score) -> list[Disagreement]:
    """How the app's scoring of one response differs from the reference."""
    found: list[Disagreement] = []

    def differ(name: str, app: object, wanted: object) -> None:
        found.append(Disagreement(response.response_id, name, _show(app), _show(wanted)))

    if not ref.valid:
        if response.total is not None or response.band is not None:
            differ("total", response.total, "invalid: " + "; ".join(ref.problems))
    else:
        if response.total != ref.total:
            differ("total", response.total, ref.total)
        if response.band is not None and response.band != ref.band:
            differ("band", response.band, ref.band)
    flag = response.crisis_flag
    if flag is not None and ref.crisis_flag is None and flag is False:
        differ("crisis_flag", flag, "unknown (item 9 unanswered)")
    elif flag is not None and ref.crisis_flag is not None and flag != ref.crisis_flag:
        differ("crisis_flag", flag, ref.crisis_flag)
    return found


class AssessmentAccuracyCheck(CheckParams):
    """The app's totals, bands and crisis flags equal p0gate's reference scoring."""

    type: Literal["assessment-accuracy"]
    instrument: Literal["phq9", "gad7"] = Field(description="phq9 or gad7")
    require_band_coverage: bool = Field(
        True, description=("the valid responses must reach every severity band of the instrument")
    )
    prorate: bool = Field(
        False,
        description=(
            "score responses with a few missing items by proration (Arrieta et al. 2017: "
            "round(sum x items / answered), at most 2 missing for PHQ-9, 1 for GAD-7; item 9 "
            "never prorated); off by default"
        ),
    )

    accepts: ClassVar[tuple[str, ...]] = kinds_read_by(AssessmentReader)
    UNITS: ClassVar[dict[str, str]] = {
        "responses": "responses",
        "disagreements": "disagreements",
        "invalid": "responses",
        "prorated": "responses",
        "crisis_flags_compared": "responses",
        "bands_covered": "bands",
    }
    default_kind: ClassVar[str | None] = accepts[0]

    def run(self, ctx: CheckContext) -> CheckResult:
        inst = INSTRUMENTS[self.instrument]
        required: Values = {"disagreements": 0, "instrument": self.instrument}
        if self.require_band_coverage:
            required["bands"] = ", ".join(b.name for b in inst.bands)
        artifacts = ctx.select(self)
        if not artifacts:
            return nothing_selected(self, required)
        responses = [
            r
            for a in artifacts
            for r in ctx.read(a, AssessmentScores).responses
            if r.instrument == self.instrument
        ]
        if not responses:
            return CheckResult(
                Outcome.INCONCLUSIVE,
                f"no {inst.title} responses in {', '.join(a.id for a in artifacts)}",
                required=required,
            )
        return self._judge(inst, responses, required)

    def _judge(self, inst: Instrument, responses: list[Response], required: Values) -> CheckResult:
        refs = [score(inst, r.answers, prorate=self.prorate) for r in responses]
        wrong = [d for r, ref in zip(responses, refs, strict=True) for d in disagreements(r, ref)]
        invalid = [(r, ref) for r, ref in zip(responses, refs, strict=True) if not ref.valid]
        covered = {ref.band for ref in refs if ref.band}
        measured: Values = {
            "responses": len(responses),
            "disagreements": len(wrong),
            "invalid": len(invalid),
            "prorated": sum(ref.prorated for ref in refs),
            "crisis_flags_compared": sum(r.crisis_flag is not None for r in responses),
            "bands_covered": len(covered),
        }
        return self._verdict(inst, wrong, covered, _invalid_note(invalid), measured, required)

    def _verdict(self, inst: Instrument, wrong: list[Disagreement], covered: set[str],
                 notes: str, measured: Values, required: Values) -> CheckResult:
        responses = measured["responses"]
        uncovered = [b.name for b in inst.bands if b.name not in covered]
        if wrong:
            listed = "; ".join(str(d) for d in wrong[:SHOWN])
            more = f"; and {len(wrong) - SHOWN} more" if len(wrong) > SHOWN else ""
            return CheckResult(
                Outcome.FAIL,
                f"{len(wrong)} disagreements with the reference "
                f"{inst.title} scoring: {listed}{more}{notes}",
                measured,
                required,
            )
        if self.require_band_coverage and uncovered:
            return CheckResult(
                Outcome.INCONCLUSIVE,
                f"all {responses} {inst.title} "
                f"responses agree, but no response reaches the band(s) "
                f"{', '.join(uncovered)}{notes}",
                measured,
                required,
            )
        return CheckResult(
            Outcome.PASS,
            f"all {responses} {inst.title} responses agree "
            f"with the reference scoring ({len(covered)} bands covered)"
            f"{notes}",
            measured,
            required,
        )


def _invalid_note(invalid: list[tuple[Response, Score]]) -> str:
    if not invalid:
        return ""
    shown = "; ".join(f"{r.response_id} ({', '.join(ref.problems)})" for r, ref in invalid[:10])
    more = f" and {len(invalid) - 10} more" if len(invalid) > 10 else ""
    return f"; {len(invalid)} invalid responses, not scored: {shown}{more}"
