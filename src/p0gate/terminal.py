"""The terminal summary: a rich table of controls grouped by authority.

Every piece of user text (titles, messages, values, system names, paths) reaches the screen
as ``Text`` made by ``plain``: never parsed as rich markup (``[red]``, ``[link=…]`` stay
brackets), and with control characters (escape sequences, bidi overrides) shown as
``\x1b``-style escapes instead of obeyed by the terminal.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from p0gate.formats import view
from p0gate.outcome import Decision, Outcome

if TYPE_CHECKING:
    from p0gate.result import ControlResult, Result

STYLES = {"pass": "green", "fail": "bold red", "inconclusive": "yellow", "error": "bold magenta",
          "waived": "cyan", "not_applicable": "dim"}
MAX_VALUES = 3
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


def values(data: dict[str, float | int | str], keys: list[str] | None = None) -> str:
    chosen = [k for k in (keys or data) if k in data][:MAX_VALUES]
    return ", ".join(f"{k} {view.value(data[k])}" for k in chosen)


def summary_table(result: Result) -> Table:
    """Applicable controls grouped by authority, in pack order; not-applicable ones counted."""
    meta = result.bundle.metadata
    table = Table(title=plain(f"p0gate · {meta.get('system')} {meta.get('version')} · "
                              f"{result.phase} gate"), title_justify="left")
    for name, ratio in (("Control", 3), ("Outcome", 2), ("Measured", 4), ("Required", 3),
                        ("Alert", 2)):
        table.add_column(name, overflow="fold", ratio=ratio)
    for authority, controls in view.by_authority(result):
        group = [c for c in controls if c.outcome is not Outcome.NOT_APPLICABLE]
        if group:
            table.add_row(plain(authority.upper(), "bold"), "", "", "", "")
        for control in group:
            table.add_row(*_row(control))
    skipped = result.counts.get("not_applicable", 0)
    if skipped:
        table.caption = plain(f"{skipped} controls do not apply to the {result.phase} gate")
    return table


def _row(control: ControlResult) -> tuple[Text, Text, Text, Text, Text]:
    mark = "" if control.blocking else " (non-blocking)"
    alert = control.alert_level.value if control.alert_level else ""
    if control.rollback:
        alert = (alert + " ROLLBACK").strip()
    shown = [k for k in control.measured if k in control.required or k.startswith("alert_on")]
    return (plain(f"  {control.id}{mark}"),
            Text(control.outcome.value, style=STYLES[control.outcome.value]),
            plain(values(control.measured, shown or None)), plain(values(control.required)),
            Text(alert, style=ALERTS.get(control.alert_level or "", "bold red")))


def decision_line(result: Result) -> Text:
    """The result's headline, with the decision and a rollback in colour."""
    text = plain(result.headline())
    go = result.decision is Decision.GO
    text.stylize("bold green" if go else "bold red", 0, len(result.decision))
    text.highlight_words(["ROLLBACK TRIGGERED"], style="bold white on red")
    return text
