"""The reference scorer against an independent formulation, over every answer vector."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from p0gate.clinical.instruments import GAD7, PHQ9, Instrument
from p0gate.clinical.scoring import score, score_matrix

# Independent formulation: the published cut-offs written out as one label per total.
PHQ9_LABELS = (
    ["minimal"] * 5 + ["mild"] * 5 + ["moderate"] * 5 + ["moderately severe"] * 5 + ["severe"] * 8
)
GAD7_LABELS = ["minimal"] * 5 + ["mild"] * 5 + ["moderate"] * 5 + ["severe"] * 7


def _independent(vector: tuple[int, ...], labels: list[str]) -> tuple[int, str]:
    total = 0
    for answer in vector:
        total += answer
    return total, labels[total]


@pytest.mark.parametrize(
    ("instrument", "labels", "count"), [(PHQ9, PHQ9_LABELS, 4**9), (GAD7, GAD7_LABELS, 4**7)]
)
def test_every_vector_matches_independent_formulation(
    instrument: Instrument, labels: list[str], count: int
) -> None:
    seen = 0
    for vector in itertools.product((0, 1, 2, 3), repeat=instrument.items):
        got = score(instrument, vector)
        total, band = _independent(vector, labels)
        assert (got.total, got.band, got.prorated) == (total, band, False), vector
        if instrument is PHQ9:
            assert got.crisis_flag is (vector[8] != 0), vector
        else:
            assert got.crisis_flag is None
        seen += 1
    assert seen == count


@pytest.mark.parametrize(("instrument", "labels"), [(PHQ9, PHQ9_LABELS), (GAD7, GAD7_LABELS)])
def test_vectorised_scorer_matches_per_response_scorer(
    instrument: Instrument, labels: list[str]
) -> None:
    grid = np.array(list(itertools.product(range(4), repeat=instrument.items)), dtype=np.int64)
    totals, bands, crisis = score_matrix(instrument, grid)
    names = np.array([b.name for b in instrument.bands])
    assert totals.tolist() == grid.sum(axis=1).tolist()
    assert names[bands].tolist() == [labels[t] for t in totals]
    expected_crisis = grid[:, 8] > 0 if instrument is PHQ9 else np.zeros(len(grid), bool)
    assert (crisis == expected_crisis).all()
    assert len(grid) == 4**instrument.items


def test_item9_raises_crisis_flag_whatever_the_total() -> None:
    low = score(PHQ9, (0, 0, 0, 0, 0, 0, 0, 0, 1))
    assert (low.total, low.band, low.crisis_flag) == (1, "minimal", True)


@pytest.mark.parametrize(
    ("answers", "problem"),
    [
        ((0, 0, 0, 0, 4, 0, 0, 0, 0), "item 5 answer 4 is outside 0-3"),
        ((0, 0, 0, 0, -1, 0, 0, 0, 0), "item 5 answer -1 is outside 0-3"),
        ((1, 1, 1, None, 1, 1, 1, 1, 0), "item 4 unanswered"),
        ((1, 1, 1, 1, 1, 1, 1, 1), "8 items given, PHQ-9 has 9"),
    ],
)
def test_invalid_responses_are_reported_never_scored(
    answers: tuple[int | None, ...], problem: str
) -> None:
    got = score(PHQ9, answers)
    assert not got.valid
    assert (got.total, got.band) == (None, None)
    assert problem in got.problems


def test_prorating_is_off_by_default_and_marked_when_on() -> None:
    answers = (3, 3, None, 3, 2, 2, 2, None, 1)  # 16 over 7 answered items
    assert not score(PHQ9, answers).valid
    got = score(PHQ9, answers, prorate=True)
    assert (got.total, got.band, got.prorated, got.crisis_flag) == (
        21,
        "severe",
        True,
        True,
    )  # 16 * 9 / 7 = 20.57 -> 21


def test_prorating_rounds_half_up_and_caps_missing_items() -> None:
    half = (1, 1, 1, 1, 1, 1, 1, None, 0)  # 7 * 9 / 8 = 7.875 -> 8
    assert score(PHQ9, half, prorate=True).total == 8
    assert score(GAD7, (1, 0, 0, 0, 0, 0, None), prorate=True).total == 1  # 7/6 -> 1
    assert score(GAD7, (1, 1, 1, 0, 0, 0, None), prorate=True).total == 4  # 3.5 -> 4
    three_missing = (1, 1, 1, 1, 1, None, None, None, 0)
    assert not score(PHQ9, three_missing, prorate=True).valid
    assert not score(GAD7, (1, 1, 1, 1, 1, None, None), prorate=True).valid


def test_item9_is_never_prorated() -> None:
    got = score(PHQ9, (2, 2, 2, 2, 2, 2, 2, 2, None), prorate=True)
    assert not got.valid
    assert got.crisis_flag is None
    assert "item 9 unanswered" in got.problems
