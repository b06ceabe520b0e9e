"""markdown: decision, counts and failing controls, for a CI step summary or a PR comment."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from p0gate.formats.base import PLAIN, ReportContext
from p0gate.formats.view import (
    authority_counts,
    authority_title,
    by_authority,
    counts_line,
    gate_line,
    label,
    measured_items,
    needing_attention,
    required_items,
    system_line,
)
from p0gate.outcome import Decision

if TYPE_CHECKING:
    from p0gate.result import ControlResult, Result

MARKS = {Decision.GO: "✅", Decision.NO_GO: "⛔", Decision.OK: "✅", Decision.ROLLBACK: "🚨"}


class MarkdownFormatter:
    name: ClassVar[str] = "markdown"
    description: ClassVar[str] = "Markdown summary ($GITHUB_STEP_SUMMARY, PR comments)"

    def render(self, result: Result, context: ReportContext = PLAIN) -> bytes:
        lines = [
            f"## {MARKS[result.decision]} p0gate: {result.decision} for the "
            f"{gate_line(result)}",
            "",
            f"**{system_line(result)}** · evaluated {result.evaluated_at} · {counts_line(result)}",
            "",
        ]
        if result.rollback:
            lines += ["> [!CAUTION]", "> A rollback trigger fired.", ""]
            lines += [f"{i}. Escalate to {e.to} ({e.when})"
                      for i, e in enumerate(result.escalation, start=1)] + [""] * bool(
                result.escalation)
        if result.after is not None and not result.after.met:
            lines += [f"**after {result.after.gate}** ({result.after.min_days:g} days) is not "
                      f"met: {result.after.message}", ""]
        lines += _counts(result) + _failing(result) + _waivers(result)
        lines += [
            f"<sub>result digest `{result.digest}` · pack `{result.pack.name}` "
            f"`{result.pack.digest[:16]}` · evidence `"
            f"{result.bundle.evidence_digest[:16]}`</sub>",
            "",
        ]
        return "\n".join(lines).encode("utf-8")


def _cell(text: str) -> str:
    for char in "\\|*`<":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", " ")


def _counts(result: Result) -> list[str]:
    lines = [
        "| authority | pass | fail | inconclusive | error | waived | n/a |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for authority, controls in by_authority(result):
        n = authority_counts(controls)
        lines.append(
            f"| {_cell(authority_title(result, authority))} | {n['pass']} | {n['fail']} | "
            f"{n['inconclusive']} | "
            f"{n['error']} | {n['waived']} | {n['not_applicable']} |"
        )
    return [*lines, ""]


def _failing(result: Result) -> list[str]:
    failing = needing_attention(result)
    if not failing:
        return ["Every applicable control passed.", ""]
    lines = [
        f"### Not passing ({len(failing)}), failing first",
        "",
        "| control | outcome | measured | required | message |",
        "|---|---|---|---|---|",
    ]
    lines += [_row(c) for c in failing]
    return [*lines, ""]


def _row(control: ControlResult) -> str:
    flags = "" if control.blocking else " (non-blocking)"
    if control.rollback:
        flags += " **ROLLBACK**"
    return (
        f"| `{control.id}` {_cell(control.title)}{flags} | **{label(control.outcome)}** | "
        f"{_cell(', '.join(measured_items(control)) or '—')} | "
        f"{_cell(', '.join(required_items(control)) or '—')} | "
        f"{_cell(control.message)} |"
    )


def _waivers(result: Result) -> list[str]:
    records = [*result.waivers.applied, *result.waivers.refused]
    if not records:
        return []
    lines = [
        "### Waivers",
        "",
        "| control | status | approved by | expires | reason |",
        "|---|---|---|---|---|",
    ]
    for w in records:
        soon = " ⚠ expires within 7 days" if w.expiring_soon else ""
        lines.append(
            f"| `{w.control}` | {w.status}{soon} | {_cell(w.approved_by)} ({w.role})"
            f" | {w.expires} | {_cell(w.reason)} |"
        )
    return [*lines, ""]
