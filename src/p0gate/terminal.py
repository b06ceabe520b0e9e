"""The terminal summary: a rich table of controls grouped by authority."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from p0gate.checks.base import fmt

if TYPE_CHECKING:
    from p0gate.result import ControlResult, Result

STYLES = {"pass": "green", "fail": "bold red", "inconclusive": "yellow", "error": "bold magenta",
          "waived": "cyan", "not_applicable": "dim"}
ALERTS = {"warning": "yellow", "critical": "red", "emergency": "bold white on red"}


def values(data: dict[str, float | int | str]) -> str:
    return ", ".join(f"{k} {fmt(v) if isinstance(v, int | float) else v}"
                     for k, v in data.items())


def summary_table(result: Result) -> Table:
    table = Table(title=f"p0gate · {result.bundle.metadata.get('system')} "
                  f"{result.bundle.metadata.get('version')} · {result.phase} gate",
                  show_lines=False, expand=False)
    for name in ("Control", "Outcome", "Measured", "Required", "Alert"):
        table.add_column(name, overflow="fold")
    authorities = sorted({c.authority for c in result.controls})
    for authority in authorities:
        table.add_row(Text(authority.upper(), style="bold"), "", "", "", "")
        for control in (c for c in result.controls if c.authority == authority):
            table.add_row(*_row(control))
    return table


def _row(control: ControlResult) -> tuple[Text, Text, str, str, Text]:
    mark = "" if control.blocking else " (non-blocking)"
    alert = control.alert_level.value if control.alert_level else ""
    if control.rollback:
        alert = (alert + " ROLLBACK").strip()
    return (Text(f"  {control.id}{mark}"),
            Text(control.outcome.value, style=STYLES[control.outcome.value]),
            values(control.measured), values(control.required),
            Text(alert, style=ALERTS.get(control.alert_level or "", "bold red")))


def decision_line(result: Result) -> Text:
    counts = ", ".join(f"{n} {k}" for k, n in result.counts.items() if n)
    style = "bold green" if result.decision == "GO" else "bold red"
    text = Text(f"{result.decision}", style=style)
    text.append(f"  ({counts}) digest {result.digest[:16]}…")
    if result.rollback:
        text.append("  ROLLBACK TRIGGERED", style="bold white on red")
    return text
