"""Reference scoring of PHQ-9 and GAD-7 responses.

A response is scored only when it is valid: every item answered with 0-3. An invalid
response is reported with its problems and no total. Prorating (Arrieta et al. 2017) is an
explicit option, off by default: with at most ``max_missing_prorated`` unanswered items the
total is round-half-up(sum x items / answered) and the score is marked ``prorated``. The
crisis item (PHQ-9 item 9) is never prorated: when it is unanswered the risk is unknown and
the response stays invalid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from p0gate.clinical.instruments import MAX_ANSWER, Instrument

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


@dataclass(frozen=True)
class Score:
    """p0gate's reference answer for one response."""

    total: int | None
    band: str | None
    crisis_flag: bool | None  # None: no crisis item (GAD-7), or item 9 unanswered
    prorated: bool = False
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def valid(self) -> bool:
        return self.total is not None


def score(instrument: Instrument, answers: Sequence[int | None], *, prorate: bool = False) -> Score:
    """Score one response; ``None`` is an unanswered item."""
    problems = _problems(instrument, answers)
    crisis = _crisis(instrument, answers)
    missing = [i for i, a in enumerate(answers, start=1) if a is None]
    if problems or (missing and not _proratable(instrument, missing, prorate)):
        problems += [f"item {i} unanswered" for i in missing]
        return Score(None, None, crisis, problems=tuple(problems))
    given = [a for a in answers if a is not None]
    total = sum(given)
    if missing:
        total = _round_half_up(total * instrument.items, len(given))
    return Score(total, instrument.band(total), crisis, prorated=bool(missing))


def _problems(instrument: Instrument, answers: Sequence[int | None]) -> list[str]:
    problems = []
    if len(answers) != instrument.items:
        problems.append(f"{len(answers)} items given, {instrument.title} has {instrument.items}")
    for number, answer in enumerate(answers, start=1):
        if answer is not None and not 0 <= answer <= MAX_ANSWER:
            problems.append(f"item {number} answer {answer} is outside 0-{MAX_ANSWER}")
    return problems


def _crisis(instrument: Instrument, answers: Sequence[int | None]) -> bool | None:
    item = instrument.crisis_item
    if item is None or len(answers) < item or answers[item - 1] is None:
        return None
    return bool(answers[item - 1] >= 1)  # type: ignore[operator]


def _proratable(instrument: Instrument, missing: list[int], prorate: bool) -> bool:
    if not prorate or len(missing) > instrument.max_missing_prorated:
        return False
    return instrument.crisis_item not in missing


def _round_half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def score_matrix(
    instrument: Instrument, answers: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Totals, band indexes and crisis flags of complete, valid answer rows (N x items)."""
    import numpy as np

    if answers.ndim != 2 or answers.shape[1] != instrument.items:
        raise ValueError(f"expected N x {instrument.items} answers")
    if answers.size and (answers.min() < 0 or answers.max() > MAX_ANSWER):
        raise ValueError(f"answers must be 0-{MAX_ANSWER}")
    totals = answers.sum(axis=1)
    highs = np.array([b.high for b in instrument.bands])
    bands = np.searchsorted(highs, totals, side="left")
    if instrument.crisis_item is None:
        crisis = np.zeros(len(answers), dtype=bool)
    else:
        crisis = answers[:, instrument.crisis_item - 1] >= 1
    return totals, bands, crisis
