"""The terminal summary: controls grouped by authority, not-applicable ones counted."""

import io

from rich.console import Console

from p0gate.outcome import Outcome
from p0gate.result import load_result
from p0gate.terminal import decision_line, summary_table, values
from tests.conftest import TEST_DATA

SAMPLE = load_result((TEST_DATA / "golden" / "result.json").read_bytes())


def shown(thing: object) -> str:
    screen = io.StringIO()
    Console(file=screen, width=200, color_system=None).print(thing)
    return screen.getvalue()


def test_applicable_controls_are_grouped_by_authority() -> None:
    text = shown(summary_table(SAMPLE))
    applicable = [c for c in SAMPLE.controls if c.outcome is not Outcome.NOT_APPLICABLE]
    assert all(c.id in text for c in applicable)
    assert all(c.id not in text for c in SAMPLE.controls if c not in applicable)
    assert all(a.upper() in text for a in {c.authority for c in applicable})
    skipped = SAMPLE.counts["not_applicable"]
    assert f"{skipped} controls do not apply to the {SAMPLE.gate} gate" in text


def test_the_decision_line_is_the_result_headline() -> None:
    line = decision_line(SAMPLE)
    assert line.plain == SAMPLE.headline()
    assert line.spans[0].style == ("bold green" if SAMPLE.decision == "GO" else "bold red")


def test_values_show_at_most_three() -> None:
    assert values({"a": 1.0, "b": 0.5, "c": "x", "d": 4}) == "a 1, b 0.5, c x"
    assert values({"a": 1, "b": 2}, ["b", "z"]) == "b 2"
