"""The two instruments: items, bands and LOINC codes (see docs/domain.md).

Answers are scored 0 Not at all, 1 Several days, 2 More than half the days, 3 Nearly every
day. The "how difficult" question (PHQ-9 69722-7) is never part of the total.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

InstrumentName = Literal["phq9", "gad7"]
MAX_ANSWER = 3

# LOINC answer codes of the 0-3 frequency scale; GAD-7 item 68509-9 may carry LA18938-3 for 2.
ANSWER_CODES: dict[str, int] = {
    "LA6568-5": 0,
    "LA6569-3": 1,
    "LA6570-1": 2,
    "LA6571-9": 3,
}
ITEM_ANSWER_CODES: dict[str, dict[str, int]] = {"68509-9": {"LA18938-3": 2}}


@dataclass(frozen=True)
class Band:
    name: str
    low: int
    high: int


@dataclass(frozen=True)
class Instrument:
    """One questionnaire: its items in order, severity bands and LOINC codes."""

    name: InstrumentName
    title: str
    panel: str
    total_code: str
    item_codes: tuple[str, ...]
    bands: tuple[Band, ...]
    crisis_item: int | None  # 1-based item whose answer >= 1 raises the crisis flag
    max_missing_prorated: int  # at most this many missing items may be prorated
    extra_codes: tuple[str, ...] = ()  # items that belong to the form but not to the total

    @property
    def items(self) -> int:
        return len(self.item_codes)

    def band(self, total: int) -> str:
        return next(b.name for b in self.bands if b.low <= total <= b.high)

    def item_number(self, code: str) -> int | None:
        """1-based item number of a LOINC item code, or None."""
        return self.item_codes.index(code) + 1 if code in self.item_codes else None


PHQ9 = Instrument(
    name="phq9",
    title="PHQ-9",
    panel="44249-1",
    total_code="44261-6",
    item_codes=(
        "44250-9",
        "44255-8",
        "44259-0",
        "44254-1",
        "44251-7",
        "44258-2",
        "44252-5",
        "44253-3",
        "44260-8",
    ),
    bands=(
        Band("minimal", 0, 4),
        Band("mild", 5, 9),
        Band("moderate", 10, 14),
        Band("moderately severe", 15, 19),
        Band("severe", 20, 27),
    ),
    crisis_item=9,
    max_missing_prorated=2,
    extra_codes=("69722-7",),
)
GAD7 = Instrument(
    name="gad7",
    title="GAD-7",
    panel="69737-5",
    total_code="70274-6",
    item_codes=("69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"),
    bands=(
        Band("minimal", 0, 4),
        Band("mild", 5, 9),
        Band("moderate", 10, 14),
        Band("severe", 15, 21),
    ),
    crisis_item=None,
    max_missing_prorated=1,
    extra_codes=("69722-7",),
)
INSTRUMENTS: dict[str, Instrument] = {"phq9": PHQ9, "gad7": GAD7}


def instrument(name: str) -> Instrument:
    return INSTRUMENTS[name]


def answer_value(item_code: str, answer_code: str) -> int | None:
    """The 0-3 value of a LOINC answer code for this item, or None if it is not one."""
    return ITEM_ANSWER_CODES.get(item_code, {}).get(answer_code, ANSWER_CODES.get(answer_code))
