"""`evaluate`, `report` and `verify`: the gate's decision, its reports and their check."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from p0gate.cli.common import (
    LEDGER_OPTION,
    PathArg,
    cache_dir,
    inputs_options,
    now_option,
    progress,
    reports_option,
    signing_options,
    stderr,
    stdout,
)

if TYPE_CHECKING:
    from p0gate.result import Result
    from p0gate.runner import Inputs, Published, ReportRequest
    from p0gate.signing import Identity


GATE_OPTION = click.option(
    "--gate", "--phase", "gate", metavar="GATE",
    help="Gate to decide, one of the pack's gates (--phase: the old name).")


@click.command()
@inputs_options(required=True)
@GATE_OPTION
@now_option("Evaluation")
@reports_option(required=False)
@signing_options
@LEDGER_OPTION
@click.option("--quiet", "-q", is_flag=True, help="Print only the decision line.")
def evaluate(inputs: Inputs, gate: str | None, now: datetime, reports: list[ReportRequest],
             identity: Identity | None, url: str | None, quiet: bool) -> int:
    """Evaluate a policy pack against an evidence bundle and decide GO or NO-GO at a gate.

    A gate's `after:` and prior-phase checks read the decision ledger (--ledger, default
    sqlite:///.p0gate/ledger.db); the decision is appended to it only with --ledger."""
    from dataclasses import replace

    from p0gate import runner

    with progress() as hook:
        result = runner.evaluate_paths(replace(inputs, ledger=url), gate=gate, now=now,
                                       progress=hook, cache=cache_dir())
    _show(result, quiet=quiet)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    outputs = runner.Outputs(reports, identity, Path(summary) if summary else None, url)
    _published(runner.publish(result, outputs, recorded_at=datetime.now(UTC)))
    return result.exit_code


def _show(result: Result, *, quiet: bool) -> None:
    if quiet:
        click.echo(result.headline())
        return
    from rich.markup import escape

    from p0gate import terminal

    stdout().print(terminal.summary_table(result))
    stdout().print(terminal.decision_line(result))
    if result.after is not None:
        state = "met" if result.after.met else "[bold red]NOT met[/]"
        stdout().print(f"after {result.after.gate} ({result.after.min_days:g} days): {state}: "
                       f"{escape(result.after.message)}", soft_wrap=True)


def _published(published: Published) -> None:
    for path in published.reports:
        stderr().print(f"wrote {path}")
    if published.entry is not None:
        entry = published.entry
        stderr().print(f"ledger: recorded row {entry.seq} ({entry.row_hash[:12]}…)")


@click.command()
@click.argument("result_file", metavar="RESULT.json", type=PathArg)
@reports_option(required=True)
@signing_options
def report(result_file: Path, reports: list[ReportRequest], identity: Identity | None) -> int:
    """Render reports from a stored result JSON (e.g. a signed PDF after the CI run)."""
    from p0gate import runner

    result = runner.stored_result(result_file)
    _published(runner.publish(result, runner.Outputs(reports, identity),
                              recorded_at=datetime.now(UTC)))
    return 0


@click.command()
@click.argument("pdf", metavar="REPORT.pdf", type=PathArg)
@click.option("--trust-cert", type=PathArg, help="PEM/DER certificate the signer must chain to.")
@inputs_options(required=False)
@LEDGER_OPTION
def verify(pdf: Path, trust_cert: Path | None, inputs: Inputs | None, url: str | None) -> int:
    """Verify a signed PDF report: signature, trust, embedded result and, with --evidence
    (and the flags of the original evaluation), a re-evaluation that must give its digest."""
    from dataclasses import replace

    from p0gate.verify import verify_report

    inputs = replace(inputs, ledger=url) if inputs is not None else None
    outcome = verify_report(pdf, trust_cert=trust_cert, inputs=inputs, cache=cache_dir())
    out, sig = stdout(), outcome.signature
    trusted = "not checked" if sig.trusted is None else ("yes" if sig.trusted else "no")
    out.print(f"signature: {sig.summary} · signer {sig.signer or '—'} · trusted {trusted}",
              markup=False)
    if outcome.result is not None:
        out.print(f"result: {outcome.result.decision} {outcome.result.digest}", markup=False)
    if outcome.reevaluated is not None:
        out.print(f"re-evaluated: {outcome.reevaluated}", markup=False)
    for problem in outcome.problems:
        stderr().print(f"[red]FAIL[/]: {problem}", soft_wrap=True)
    out.print("[green]verified[/]" if outcome.ok else "[red]NOT verified[/]")
    return 0 if outcome.ok else 1
