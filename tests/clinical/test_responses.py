"""An app's scored responses: frozen values, unanswered items kept as None."""

import dataclasses

import pytest

from p0gate.clinical.responses import AssessmentScores, Response


def test_responses_are_frozen_values_that_keep_unanswered_items() -> None:
    response = Response("r1", "phq9", (1, None, 3), None, None, None, "line 2")
    same = Response("r1", "phq9", (1, None, 3), None, None, None, "line 2")
    assert response == same and hash(AssessmentScores((response,))) == hash(
        AssessmentScores((same,)))
    assert response.answers[1] is None and response.total is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        response.total = 4  # type: ignore[misc]
