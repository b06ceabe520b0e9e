"""An app's scored responses, as read from an assessment-scores artifact."""

from __future__ import annotations

from dataclasses import dataclass

from p0gate.clinical.instruments import InstrumentName


@dataclass(frozen=True)
class Response:
    """One response: its answers (``None`` = unanswered) and what the app computed."""

    response_id: str
    instrument: InstrumentName
    answers: tuple[int | None, ...]
    total: int | None  # None: the app gave no total
    band: str | None
    crisis_flag: bool | None  # None: not given
    where: str  # "line 7" or "QuestionnaireResponse/abc"


@dataclass(frozen=True)
class AssessmentScores:
    responses: tuple[Response, ...]
