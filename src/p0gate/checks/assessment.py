"""assessment-accuracy: the app scores PHQ-9 / GAD-7 exactly as the reference does.

Every response of the instrument is scored by p0gate (``clinical.scoring``); the app's total,
band and crisis flag must match. An invalid response (an answer outside 0-3, a missing item)
must not carry a total unless ``prorate`` is on and the rule allows it. A crisis flag of
``false`` on a response whose item 9 is unanswered is a disagreement: unknown risk is never
imputed. Partial evidence proves nothing, so it is ``inconclusive``: a scored response whose
band the app did not state, a response with an answered item 9 whose crisis flag the app did
not state, and (with ``require_band_coverage``) responses that miss one of the cases of
``p0gate vectors``: every band edge and, for PHQ-9, every item-9 value at each edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from p0gate.checks.base import CheckParams, nothing_selected
from p0gate.clinical.instruments import INSTRUMENTS, Instrument
from p0gate.clinical.responses import AssessmentScores, Response
from p0gate.clinical.scoring import Score, score
from p0gate.clinical.vectors import edge_cases
from p0gate.evidence import kinds_read_by
from p0gate.evidence.assessment import AssessmentReader
from p0gate.outcome import CheckResult, Outcome, Values

if TYPE_CHECKING:
    from collections.abc import Sequence

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
    if flag is False and ref.crisis_flag is None:
        differ("crisis_flag", flag, "unknown (item 9 unanswered)")
    elif flag is not None and ref.crisis_flag is not None and flag != ref.crisis_flag:
        differ("crisis_flag", flag, ref.crisis_flag)
    return found


class AssessmentAccuracyCheck(CheckParams):
    """The app's totals, bands and crisis flags equal p0gate's reference scoring."""

    type: Literal["assessment-accuracy"]
    instrument: Literal["phq9", "gad7"] = Field(description="phq9 or gad7")
    require_band_coverage: bool = Field(True, description=(
        "the valid responses must cover every case of `p0gate vectors`: every band edge "
        "and, for PHQ-9, every item-9 value at each edge (so every severity band)"))
    prorate: bool = Field(False, description=(
        "score responses with a few missing items by proration (Arrieta et al. 2017: "
        "round(sum x items / answered), at most 2 missing for PHQ-9, 1 for GAD-7; item 9 "
        "never prorated); off by default"))

    accepts: ClassVar[tuple[str, ...]] = kinds_read_by(AssessmentReader)
    default_kind: ClassVar[str | None] = accepts[0]

    def run(self, ctx: CheckContext) -> CheckResult:
        inst = INSTRUMENTS[self.instrument]
        required: Values = {"disagreements": 0, "instrument": self.instrument,
                            "band_and_flag": "stated for every response"}
        if self.require_band_coverage:
            required["coverage"] = f"{len(edge_cases(inst))} cases of p0gate vectors"
        artifacts = ctx.select(self)
        if not artifacts:
            return nothing_selected(self, required)
        responses = [r for a in artifacts for r in ctx.read(a, AssessmentScores).responses
                     if r.instrument == self.instrument]
        if not responses:
            return CheckResult(Outcome.INCONCLUSIVE, f"no {inst.title} responses in "
                               f"{', '.join(a.id for a in artifacts)}", required=required)
        return self._judge(inst, responses, required)

    def _judge(self, inst: Instrument, responses: list[Response], required: Values) -> CheckResult:
        refs = [score(inst, r.answers, prorate=self.prorate) for r in responses]
        pairs = list(zip(responses, refs, strict=True))
        wrong = [d for r, ref in pairs for d in disagreements(r, ref)]
        invalid = [(r, ref) for r, ref in pairs if not ref.valid]
        silent = [f"{r.response_id} ({', '.join(u)})" for r, ref in pairs
                  if (u := unstated(r, ref))]
        cases, not_reached = edge_cases(inst), uncovered(inst, pairs)
        missing = not_reached if self.require_band_coverage else []
        measured: Values = {
            "responses": len(responses),
            "disagreements": len(wrong),
            "invalid": len(invalid),
            "prorated": sum(ref.prorated for ref in refs),
            "crisis_flags_compared": sum(r.crisis_flag is not None for r in responses),
            "bands_covered": len({ref.band for ref in refs if ref.band}),
            "unstated": len(silent),
            "edge_cases": len(cases),
            "edge_cases_covered": len(cases) - len(not_reached),
        }
        if wrong:
            return CheckResult(Outcome.FAIL, f"{len(wrong)} disagreements with the reference "
                               f"{inst.title} scoring: {_listed(wrong)}{_invalid_note(invalid)}",
                               measured, required)
        gaps = _gaps(silent, missing)
        if gaps:
            return CheckResult(Outcome.INCONCLUSIVE, f"all {len(responses)} {inst.title} "
                               f"responses agree, but {gaps}{_invalid_note(invalid)}",
                               measured, required)
        return CheckResult(Outcome.PASS, f"all {len(responses)} {inst.title} responses agree "
                           f"with the reference scoring ({len(cases)} cases of p0gate vectors "
                           f"covered){_invalid_note(invalid)}", measured, required)


def unstated(response: Response, ref: Score) -> list[str]:
    """What the app left out that the reference can judge: the band of a scored response,
    the crisis flag of a response whose crisis item was answered."""
    left = []
    if ref.valid and response.band is None:
        left.append("band")
    if ref.crisis_flag is not None and response.crisis_flag is None:
        left.append("crisis_flag")
    return left


def uncovered(inst: Instrument, pairs: list[tuple[Response, Score]]) -> list[str]:
    """The cases of ``p0gate vectors`` that no fully answered, valid response reaches."""
    item = inst.crisis_item
    reached = {(ref.total, None if item is None else r.answers[item - 1])
               for r, ref in pairs if ref.valid and not ref.prorated}
    return [f"total {total}" + ("" if value is None else f" with item {item} = {value}")
            for total, value in edge_cases(inst) if (total, value) not in reached]


def _gaps(silent: list[str], missing: list[str]) -> str:
    parts = []
    if silent:
        parts.append(f"{len(silent)} responses do not state the app's band or crisis flag: "
                     f"{_listed(silent)}")
    if missing:
        parts.append(f"no response covers {_listed(missing, sep='; no response covers ')}")
    return "; ".join(parts)


def _listed(items: Sequence[object], sep: str = "; ") -> str:
    shown = sep.join(str(i) for i in items[:SHOWN])
    return shown + (f"; and {len(items) - SHOWN} more" if len(items) > SHOWN else "")


def _invalid_note(invalid: list[tuple[Response, Score]]) -> str:
    if not invalid:
        return ""
    shown = "; ".join(f"{r.response_id} ({', '.join(ref.problems)})" for r, ref in invalid[:10])
    more = f" and {len(invalid) - 10} more" if len(invalid) > 10 else ""
    return f"; {len(invalid)} invalid responses, not scored: {shown}{more}"
