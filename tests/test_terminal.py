"""The terminal summary: controls grouped by authority, not-applicable ones counted."""

import io

from rich.console import Console

from p0gate.outcome import Outcome
from p0gate.result import Result, load_result
from p0gate.terminal import decision_line, printable, summary_table, values
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
    assert f"{skipped} controls do not apply to the {SAMPLE.phase} gate" in text


def test_the_decision_line_is_the_result_headline() -> None:
    line = decision_line(SAMPLE)
    assert line.plain == SAMPLE.headline()
    assert line.spans[0].style == ("bold green" if SAMPLE.decision == "GO" else "bold red")


def test_values_show_at_most_three() -> None:
    assert values({"a": 1.0, "b": 0.5, "c": "x", "d": 4}) == "a 1, b 0.5, c x"
    assert values({"a": 1, "b": 2}, ["b", "z"]) == "b 2"


HOSTILE = ("[red]x[/red] [link=https://evil.example]click[/link] [bold]b :smile: "
           "\x1b[2J\x1b]8;;https://evil.example\x07ansi\u202eevil")


def _hostile_result() -> Result:
    control = SAMPLE.controls[0].model_copy(update={
        "title": HOSTILE, "message": HOSTILE, "outcome": Outcome.FAIL,
        "measured": {"endpoint": HOSTILE, "n": 10**30}, "required": {"name": HOSTILE}})
    meta = {**SAMPLE.bundle.metadata, "system": HOSTILE, "version": "[/]"}
    return SAMPLE.model_copy(update={
        "controls": [control], "bundle": SAMPLE.bundle.model_copy(update={"metadata": meta})})


def test_user_text_is_never_markup_nor_terminal_control() -> None:
    """Brackets in a title, message, value or system name are text, not rich markup (no
    colour, no hyperlink); escape sequences and bidi overrides are shown, not obeyed."""
    screen = io.StringIO()
    console = Console(file=screen, width=400, force_terminal=True, color_system="truecolor")
    console.print(summary_table(_hostile_result()))
    console.print(decision_line(_hostile_result()))
    text = screen.getvalue()
    assert "[red]x[/red]" in text and "[link=https://evil.example]click[/link]" in text
    assert ":smile:" in text and "[/]" in text
    assert "\x1b[2J" not in text and "\x1b]8;;https://evil" not in text and "\u202e" not in text
    assert "\\x1b[2J" in text and "\\u202e" in text
    assert "1000000000000000000000000000000" in text.replace(",", "")


def test_printable_shows_control_characters() -> None:
    assert printable("a\x1b[31mb\tc\nd\x00\x7f\x9b\u2066") == \
        "a\\x1b[31mb\tc\nd\\x00\\x7f\\x9b\\u2066"
    assert printable("[red]plain[/red] ünïcödé ✓") == "[red]plain[/red] ünïcödé ✓"
