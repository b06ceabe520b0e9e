"""The terminal summary: why, failing first, passes counted, under 60 lines at 80 columns."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from rich.console import Console

from p0gate.outcome import Outcome
from p0gate.result import Result, load_result
from p0gate.terminal import decision_line, printable, summary
from tests.conftest import EXAMPLES, POLICIES, TEST_DATA

SAMPLE = load_result((TEST_DATA / "golden" / "result.json").read_bytes())


def shown(thing: object, width: int = 80) -> list[str]:
    """What a CI log of ``width`` columns shows (no terminal, no colour)."""
    screen = io.StringIO()
    Console(file=screen, width=width, color_system=None, force_terminal=False).print(thing)
    return screen.getvalue().splitlines()


@pytest.fixture(scope="module")
def refused() -> Result:
    """The failing beta example with its waivers: one applied, one refused."""
    from p0gate.runner import Inputs, evaluate_paths

    return evaluate_paths(Inputs(evidence=EXAMPLES / "no-go" / "beta", policies=POLICIES,
                                 waivers=EXAMPLES / "waivers.yaml"),
                          gate="beta", now=datetime(2025, 9, 20, tzinfo=UTC))


def grown(result: Result, size: int) -> Result:
    """``result`` with passing controls added until it has ``size``: the pack is growing."""
    passes = [c for c in result.controls if c.outcome is Outcome.PASS]
    extra = [passes[i % len(passes)].model_copy(update={"id": f"{passes[i % len(passes)].id}"
                                                         f"-COPY{i}"})
             for i in range(size - len(result.controls))]
    return result.model_copy(update={"controls": [*result.controls, *extra]})


def test_every_control_that_did_not_pass_says_why_failing_first() -> None:
    lines = shown(summary(SAMPLE))
    text = "\n".join(lines)
    attention = [c for c in SAMPLE.controls if c.outcome not in (Outcome.PASS,
                                                                   Outcome.NOT_APPLICABLE)]
    at = [next(i for i, line in enumerate(lines) if c.id in line) for c in attention]
    outcomes = [c.outcome for _, c in sorted(zip(at, attention, strict=True))]
    order = [Outcome.ERROR, Outcome.FAIL, Outcome.INCONCLUSIVE, Outcome.WAIVED]
    assert outcomes == sorted(outcomes, key=order.index)
    flat = " ".join(text.split())
    for c in attention:
        assert " ".join(c.message.split()) in flat
        assert all(e.id in flat for e in c.evidence)
    assert "fix: Roll back, then profile" in flat


def test_passes_are_counted_per_authority_title() -> None:
    text = " ".join(" ".join(shown(summary(SAMPLE))).split())
    passed = [c for c in SAMPLE.controls if c.outcome is Outcome.PASS]
    assert f"Passed ({len(passed)}):" in text
    assert "Crisis Authority" in text  # the pack's title, not the id
    assert all(c.id not in text for c in passed)
    assert "controls do not apply to the beta gate" in text


def test_refused_waivers_are_named(refused: Result) -> None:
    text = " ".join(" ".join(shown(summary(refused))).split())
    assert "waiver refused: CR-1-LATENCY" in text and "is never waived" in text
    assert "waived until 2025-10-03 by Demo Performance Engineer" in text


@pytest.fixture(scope="module")
def production_no_go() -> Result:
    """The failing production-25 example (the staging evidence): many controls fail."""
    from p0gate.runner import Inputs, evaluate_paths

    return evaluate_paths(Inputs(evidence=EXAMPLES / "no-go" / "production-25",
                                 policies=POLICIES,
                                 baseline=EXAMPLES / "lifecycle" / "02-beta"),
                          gate="production-25", now=datetime(2025, 10, 13, tzinfo=UTC))


@pytest.mark.parametrize(("which", "size"), [("refused", 0), ("refused", 110),
                                             ("refused", 160), ("production_no_go", 0),
                                             ("production_no_go", 110)])
def test_a_ci_log_of_80_columns_stays_under_60_lines_and_never_breaks_an_id(
    which: str, size: int, request: pytest.FixtureRequest
) -> None:
    base: Result = request.getfixturevalue(which)
    result = grown(base, size) if size else base
    lines = [*shown(summary(result)), *shown(decision_line(result))]
    assert len(lines) < 60, "\n".join(lines)
    assert all(len(line) <= 80 for line in lines)
    for c in result.controls:
        if c.outcome not in (Outcome.PASS, Outcome.NOT_APPLICABLE):
            assert any(c.id in line for line in lines), c.id


def test_verbose_lists_every_applicable_control_with_units() -> None:
    text = "\n".join(shown(summary(SAMPLE, verbose=True), width=160))
    for c in SAMPLE.controls:
        assert (c.id in text) == (c.outcome is not Outcome.NOT_APPLICABLE)
    assert "ms" in text


def test_the_decision_line_is_the_result_headline() -> None:
    line = decision_line(SAMPLE)
    assert line.plain == SAMPLE.headline()
    assert line.spans[0].style == ("bold green" if SAMPLE.decision == "GO" else "bold red")


HOSTILE = ("[red]x[/red] [link=https://evil.example]click[/link] [bold]b :smile: "
           "\x1b[2J\x1b]8;;https://evil.example\x07ansi\u202eevil")


def _hostile_result() -> Result:
    control = SAMPLE.controls[0].model_copy(update={
        "title": HOSTILE, "message": HOSTILE, "outcome": Outcome.FAIL,
        "measured": {"endpoint": HOSTILE, "n": 10**30}, "required": {"name": HOSTILE},
        "remediation": HOSTILE})
    meta = {**SAMPLE.bundle.metadata, "system": HOSTILE, "version": "[/]"}
    return SAMPLE.model_copy(update={
        "controls": [control], "bundle": SAMPLE.bundle.model_copy(update={"metadata": meta})})


def test_user_text_is_never_markup_nor_terminal_control() -> None:
    """Brackets in a title, message, value or system name are text, not rich markup (no
    colour, no hyperlink); escape sequences and bidi overrides are shown, not obeyed."""
    screen = io.StringIO()
    console = Console(file=screen, width=400, force_terminal=True, color_system="truecolor")
    console.print(summary(_hostile_result(), verbose=True))
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
