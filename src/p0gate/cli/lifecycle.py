"""`monitor` and `status`: watching a phase for rollback triggers, and where releases stand.

`monitor` evaluates the rollback triggers and alert levels of the gate that will judge the
bundle's phase: exit 0 OK (with the alert levels), exit 5 ROLLBACK (naming the triggers and
the pack's escalation path), exit 3 when it cannot vouch for a trigger. `status` reads the
decision ledger.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from p0gate.cli.common import (
    LEDGER_OPTION,
    PathArg,
    cache_dir,
    epilog,
    inputs_options,
    ledger_key,
    ledger_signers,
    now_option,
    progress,
    reports_option,
    stderr,
    stdout,
    styled,
)
from p0gate.cli.evaluation import GATE_OPTION, outputs_of

if TYPE_CHECKING:
    from p0gate.result import Result
    from p0gate.runner import Inputs, ReportRequest
    from p0gate.status import Release


def _max_age(_: click.Context, __: click.Parameter, value: str) -> timedelta:
    from p0gate.runner import parse_duration

    return parse_duration(value)


MONITOR_HELP = epilog(
    "p0gate monitor --evidence evidence/examples/lifecycle/08-production-100-incident "
    "--baseline evidence/examples/lifecycle/02-beta --now 2025-11-14T08:05:00Z",
    "p0gate monitor --evidence latest/ --baseline beta/ --max-age 15m --ledger "
    "sqlite:///.p0gate/ledger.db   # every minute, from cron or CI",
    codes="Exit codes: 0 OK · 5 ROLLBACK (the triggers and the escalation path named) · 2 "
    "usage error · 3 invalid input, or monitoring that cannot vouch for a trigger (not "
    "evaluated, or evidence older than --max-age) · 4 a report could not be written · 70 "
    "internal error.")
STATUS_HELP = epilog(
    "p0gate status --ledger sqlite:///reports/demo-ledger.db",
    "p0gate status --system p0-cloud-sync --json",
    "p0gate status --html reports/status.html   # one page for the compliance authority",
    codes="Exit codes: 0 printed · 2 usage error · 3 invalid input (the pack, or a ledger "
    "that does not verify) · 4 the page could not be written · 70 internal error.")


@click.command(epilog=MONITOR_HELP)
@inputs_options(required=True)
@GATE_OPTION
@now_option("Monitoring")
@click.option("--max-age", default="15m", show_default=True, callback=_max_age,
              help="Oldest trigger evidence accepted (30s, 15m, 2h, 1d); older is exit 3.")
@reports_option(required=False)
@LEDGER_OPTION
def monitor(inputs: Inputs, gate: str | None, now: datetime, max_age: timedelta,
            reports: list[ReportRequest], url: str | None) -> int:
    """Watch a phase: rollback triggers and alert levels on the latest evidence (OK exits 0,
    ROLLBACK exits 5). --baseline serves regression triggers. With --ledger the decision is
    appended (signed with $P0GATE_LEDGER_KEY when set), the result recording the head."""
    from dataclasses import replace

    from p0gate import runner

    if inputs.waivers is not None:
        raise click.UsageError("monitor takes no --waivers: rollback triggers are never waived")
    with progress() as hook:
        result = runner.evaluate_paths(replace(inputs, ledger=url), gate=gate, now=now,
                                       progress=hook, cache=cache_dir(), mode="monitor",
                                       max_age=max_age, ledger=runner.ledger_head(url))
    _show_monitor(result)
    outputs = outputs_of(inputs, reports, None, url, ledger_key())
    published = runner.publish(result, outputs, recorded_at=datetime.now(UTC))
    for path in published.reports:
        stderr().print(f"wrote {path}")
    if published.entry is not None:
        stderr().print(f"ledger: recorded row {published.entry.seq}")
    return result.exit_code


def _show_monitor(result: Result) -> None:
    from p0gate.terminal import plain

    out = stdout()
    watched = [c for c in result.controls if c.outcome.value != "not_applicable"]
    for control in watched:
        level = control.alert_level.value if control.alert_level else "no alert"
        out.print(plain(f"  {control.id}: {control.outcome.value}, {level}")
                  + (styled(" ROLLBACK TRIGGER", "bold white on red") if control.rollback
                     else plain("")) + plain(f": {control.message}"), soft_wrap=True)
        if control.rollback and control.remediation:
            out.print(f"    remediation: {control.remediation}", soft_wrap=True)
    for warning in result.warnings:
        out.print(styled("  warning", "yellow", f": {warning}"), soft_wrap=True)
    colour = "bold white on red" if result.decision.value == "ROLLBACK" else "bold green"
    out.print(styled(result.decision.value, colour, f" at the {result.gate} gate's triggers "
                     f"({len(watched)} controls watched) digest {result.digest[:16]}…"),
              soft_wrap=True)
    for step, escalation in enumerate(result.escalation, start=1):
        out.print(f"  escalate {step}: {escalation.to} ({escalation.when})", soft_wrap=True)


@click.command(epilog=STATUS_HELP)
@LEDGER_OPTION
@click.option("--policies", type=PathArg, default=Path("policies"), show_default=True,
              help="Policy pack whose gates order the lifecycle.")
@click.option("--trust", type=PathArg, help="Trust store whose `ledger` keys must sign every "
              "row (default: POLICIES/trust when present).")
@click.option("--system", help="Only this system.")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.option("--html", type=PathArg, help="Also write one self-contained HTML page here.")
def status(url: str | None, policies: Path, trust: Path | None, system: str | None,
           as_json: bool, html: Path | None) -> int:
    """Where each release stands: gates passed, next gate and when, last monitor decision.
    Only a ledger that verifies counts (signed by a `ledger` key when the trust store names
    one)."""
    from p0gate import status as lifecycle_status
    from p0gate.errors import InputError
    from p0gate.ledger import DEFAULT_URL
    from p0gate.policy import load_pack
    from p0gate.prior import read_ledger

    pack = load_pack(policies, cache=cache_dir())
    entries, problem = read_ledger(url or DEFAULT_URL,
                                   ledger_signers(trust, default=policies / "trust")[1])
    if problem is not None:
        raise InputError(problem, hint="`p0gate ledger verify` lists what was changed")
    found = lifecycle_status.releases(entries, pack.lifecycle, system=system)
    if html is not None:
        from p0gate.runner import save

        save(html, lifecycle_status.to_html(found, pack=pack.name), "status page")
        stderr().print(f"wrote {html}")
    if as_json:
        click.echo(lifecycle_status.to_json(found), nl=False)
    else:
        _show_status(found)
    return 0


def _show_status(found: list[Release]) -> None:
    """Per release: its state, a table of the gates decided, the next gate, the monitor."""
    from rich.table import Table
    from rich.text import Text

    out = stdout()
    if not found:
        out.print("the ledger holds no decision")
    for rel in found:
        table = Table(title=Text(f"{rel.system} {rel.version}: {rel.state}"),
                      title_justify="left")
        for name in ("Gate", "Decision", "Since", "Result digest", "Row"):
            table.add_column(name, overflow="fold")
        for g in rel.gates:
            table.add_row(*(Text(cell) for cell in (g.gate, g.decision, g.evaluated_at,
                                                     g.result_digest[:16] + "…",
                                                     str(g.ledger_row))))
        out.print(table)
        upcoming = "; ".join(f"{n.gate}" + (f" (not before {n.earliest})" if n.earliest else "")
                             for n in rel.next) or "none"
        out.print(Text(f"  next gate: {upcoming}"))
        if rel.monitor is not None:
            alerts = ", ".join(f"{k} {v}" for k, v in rel.monitor.alerts.items()) or "none"
            out.print(Text(f"  last monitor: {rel.monitor.decision} at "
                           f"{rel.monitor.evaluated_at} ({rel.monitor.gate} triggers); "
                           f"alert levels: {alerts}"))
