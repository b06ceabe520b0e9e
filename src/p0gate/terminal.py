"""The terminal summary: why the gate decided, in a CI log of 80 columns or a terminal.

By default every control that did not pass comes first, failing first (error, fail,
inconclusive, then waived; blocking before non-blocking), each with its message, the
artifacts it read, the values that decided (with units) and what to do; passing controls
are one count per authority; refused waivers are named. ``verbose`` adds the full table of
every applicable control. Lines wrap between words only: a control id never breaks.

Every piece of user text (titles, messages, values, system names, paths) reaches the screen
as ``Text`` made by ``plain``: never parsed as rich markup (``[red]``, ``[link=…]`` stay
brackets), and with control characters (escape sequences, bidi overrides) shown as
``\x1b``-style escapes instead of obeyed by the terminal.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from p0gate.formats import view
from p0gate.outcome import Decision, Outcome

if TYPE_CHECKING:
    from rich.console import RenderableType

    from p0gate.result import ControlResult, Result

STYLES = {"pass": "green", "fail": "bold red", "inconclusive": "yellow", "error": "bold magenta",
          "waived": "cyan", "not_applicable": "dim"}
ALERTS = {"warning": "yellow", "critical": "red", "emergency": "bold white on red"}
# C0 controls but tab and newline, DEL, C1 controls, and the bidi marks and overrides that
# reorder what a terminal shows
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                    "\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every character a terminal would obey written as a visible escape."""
    return UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                      else f"\\u{ord(m.group()):04x}", text)


def plain(text: object, style: str = "") -> Text:
    """User text as a renderable: no markup, no emoji codes, no control characters."""
    return Text(printable(str(text)), style=style)


def summary(result: Result, *, verbose: bool = False) -> Group:
    """The whole summary, decision line excluded."""
    parts: list[RenderableType] = [_header(result)]
    attention = view.needing_attention(result)
    if attention:
        parts.append(Text(f"Did not pass ({len(attention)}), failing first:", style="bold"))
        parts.extend(_control(c) for c in attention)
    parts.append(_passes(result))
    parts.extend(_waivers(result))
    if verbose:
        parts.append(summary_table(result))
    return Group(*parts)


def _header(result: Result) -> Text:
    return plain(f"p0gate · {view.system_line(result)} · {view.gate_line(result)} · "
                 f"pack {result.pack.name}", "bold")


def _control(control: ControlResult) -> Group:
    """Two or three lines: outcome, id, flags and evidence; the message with the deciding
    values and their units; the fix (or the waiver)."""
    head = Text(" ")
    head.append(control.outcome.value.upper(), style=STYLES[control.outcome.value])
    head.append(" ")
    head.append(printable(control.id), style="bold")
    head.append(f" {control.severity}, {'blocking' if control.blocking else 'non-blocking'}")
    if control.alert_level:
        head.append(f", alert {control.alert_level.value}",
                    style=ALERTS.get(control.alert_level.value, ""))
    if control.rollback:
        head.append(" ROLLBACK", style="bold white on red")
    if control.evidence:
        head.append(printable(f" · {_evidence(control)}"), style="dim")
    body = plain(control.message)
    facts = _facts(control)
    if facts:
        body.append(printable(f" [{facts}]"), style="dim")
    lines = [body]
    if control.waiver is not None and control.outcome is Outcome.WAIVED:
        lines.append(plain(f"waived until {control.waiver.expires} by "
                           f"{control.waiver.approved_by} ({control.waiver.role})", "cyan"))
    elif control.remediation:
        lines.append(plain(f"fix: {control.remediation}"))
    return Group(head, Padding(Group(*lines), (0, 0, 0, 4), expand=False))


def _evidence(control: ControlResult) -> str:
    ids = [e.id for e in control.evidence]
    more = f" and {len(ids) - 2} more" if len(ids) > 3 else ""
    return "evidence " + ", ".join(ids[:2] if more else ids) + more


def _facts(control: ControlResult) -> str:
    """Each bounded value against its bound, with units: ``98.7% vs required > 99.9%``."""
    parts = []
    for bound in control.bounds:
        seen = control.measured.get(bound.key)
        if isinstance(seen, int | float) and not isinstance(seen, bool):
            parts.append(f"{view.quantity(seen, bound.unit)} vs required {bound.symbol} "
                         f"{view.quantity(bound.value, bound.unit)}")
    return "; ".join(parts)


def _passes(result: Result) -> Text:
    """One count per authority of the controls that passed, and what did not apply."""
    groups = [(view.authority_title(result, a), sum(c.outcome is Outcome.PASS for c in cs))
              for a, cs in view.by_authority(result)]
    counts = ", ".join(f"{title} {n}" for title, n in groups if n)
    total = sum(n for _, n in groups)
    text = plain(f"Passed ({total}): {counts or 'none'}.", "green" if total else "")
    skipped = view.skipped_line(result)
    if skipped:
        text.append(printable(f" {skipped}"), style="")
    return text


def _waivers(result: Result) -> list[Text]:
    return [plain(f"waiver refused: {w.control} (approved by {w.approved_by}, {w.role}): "
                  f"{w.note}", "bold red") for w in result.waivers.refused]


def summary_table(result: Result) -> Table:
    """Every applicable control, failing first: outcome, measured and required with units."""
    table = Table(title="All applicable controls", title_justify="left", expand=True)
    table.add_column("Control", no_wrap=True)
    table.add_column("Outcome", no_wrap=True)
    table.add_column("Measured", ratio=3)
    table.add_column("Required", ratio=2)
    for control in view.failing_first(result):
        table.add_row(plain(control.id), Text(control.outcome.value,
                                              style=STYLES[control.outcome.value]),
                      plain(", ".join(view.measured_items(control)) or "—"),
                      plain(", ".join(view.required_items(control)) or "—"))
    return table


def decision_line(result: Result) -> Text:
    """The result's headline, with the decision and a rollback in colour."""
    text = plain(result.headline())
    go = result.decision in {Decision.GO, Decision.OK}
    text.stylize("bold green" if go else "bold red", 0, len(result.decision))
    text.highlight_words(["ROLLBACK TRIGGERED"], style="bold white on red")
    return text
