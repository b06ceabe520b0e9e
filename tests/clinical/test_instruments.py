"""The PHQ-9 and GAD-7 tables: items, bands and LOINC codes (docs/domain.md)."""

import pytest

from p0gate.clinical.instruments import GAD7, INSTRUMENTS, PHQ9, Instrument, answer_value


@pytest.mark.parametrize(("instrument", "items", "top", "crisis"), [
    (PHQ9, 9, 27, 9), (GAD7, 7, 21, None)])
def test_the_bands_cover_every_total_once(instrument: Instrument, items: int, top: int,
                                          crisis: int | None) -> None:
    assert instrument.items == items and instrument.crisis_item == crisis
    assert instrument.bands[0].low == 0 and instrument.bands[-1].high == top
    for below, above in zip(instrument.bands, instrument.bands[1:], strict=False):
        assert above.low == below.high + 1
    assert [instrument.band(t) for t in (0, 4, 5)] == ["minimal", "minimal", "mild"]


def test_items_are_found_by_loinc_code() -> None:
    assert PHQ9.item_number("44260-8") == 9 and GAD7.item_number("69725-0") == 1
    assert PHQ9.item_number("69722-7") is None  # the difficulty question is no item
    assert INSTRUMENTS == {"phq9": PHQ9, "gad7": GAD7}


def test_loinc_answer_codes_map_by_item() -> None:
    assert [
        answer_value("44250-9", c) for c in ("LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9")
    ] == [0, 1, 2, 3]
    assert answer_value("68509-9", "LA18938-3") == 2
    assert answer_value("44250-9", "LA18938-3") is None
    assert answer_value("44250-9", "LA6575-0") is None  # a difficulty answer, not a frequency
