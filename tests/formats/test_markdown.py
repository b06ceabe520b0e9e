from __future__ import annotations

from p0gate.formats.markdown import MarkdownFormatter
from p0gate.result import Result
from tests.formats.conftest import Golden


def test_golden(sample: Result, golden: Golden) -> None:
    golden("summary.md", MarkdownFormatter().render(sample), lambda b: b.decode("utf-8"))


def test_lists_exactly_the_non_passing_controls(example: Result) -> None:
    text = MarkdownFormatter().render(example).decode()
    assert f"p0gate: {example.decision}" in text
    failing = [
        c.id for c in example.controls if c.outcome.value in ("fail", "error", "inconclusive")
    ]
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == failing
    assert example.digest in text


def test_pipes_in_text_do_not_break_the_table(sample: Result) -> None:
    text = MarkdownFormatter().render(sample).decode()
    waiver_row = next(line for line in text.splitlines() if line.startswith("| `PF-1-SYNC`"))
    assert waiver_row.count(" | ") == 4  # the reason's "|" is escaped
