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
    ledger_key,
    now_option,
    progress,
    reports_option,
    signing_options,
    stderr,
    stdout,
    styled,
)
from p0gate.outcome import PHASES

if TYPE_CHECKING:
    from p0gate.result import Result
    from p0gate.runner import Inputs, Published, ReportRequest
    from p0gate.signing import Identity
    from p0gate.verify import Verification


@click.command()
@inputs_options(required=True)
@click.option("--phase", type=click.Choice(PHASES), help="Gate to decide (default: bundle's).")
@now_option("Evaluation")
@reports_option(required=False)
@signing_options
@LEDGER_OPTION
@click.option("--quiet", "-q", is_flag=True, help="Print only the decision line.")
def evaluate(inputs: Inputs, phase: str | None, now: datetime, reports: list[ReportRequest],
             identity: Identity | None, url: str | None, quiet: bool) -> int:
    """Evaluate a policy pack against an evidence bundle and decide GO or NO-GO.

    With --ledger the decision is appended to the ledger (signed with $P0GATE_LEDGER_KEY
    when set) and the result records the ledger's head before it."""
    from p0gate import runner

    key = ledger_key()
    with progress() as hook:
        result = runner.evaluate_paths(inputs, phase=phase, now=now, progress=hook,
                                       cache=cache_dir(), ledger=runner.ledger_head(url))
    _show(result, quiet=quiet)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    outputs = runner.Outputs(reports, identity, Path(summary) if summary else None, url, key)
    _published(runner.publish(result, outputs, recorded_at=datetime.now(UTC)))
    return result.exit_code


def _show(result: Result, *, quiet: bool) -> None:
    if quiet:
        click.echo(result.headline())
        return
    from p0gate import terminal

    stdout().print(terminal.summary_table(result))
    stdout().print(terminal.decision_line(result))


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
@click.option("--insecure-skip-trust", is_flag=True,
              help="Check integrity only: accept a signer that no trust anchor vouches for.")
@inputs_options(required=False)
def verify(pdf: Path, trust_cert: Path | None, insecure_skip_trust: bool,
           inputs: Inputs | None) -> int:
    """Verify a signed PDF report: signature, trust, embedded result and, with --evidence
    (and the flags of the original evaluation), a re-evaluation that must give its digest.
    Without --trust-cert nothing is verified (exit 1) unless --insecure-skip-trust."""
    from p0gate.verify import verify_report

    outcome = verify_report(pdf, trust_cert=trust_cert, skip_trust=insecure_skip_trust,
                            inputs=inputs, cache=cache_dir())
    _explain(outcome)
    return 0 if outcome.ok else 1


def _explain(outcome: Verification) -> None:
    """The signature's verdict first, then the result, what differs, the problems, the
    caveats and the verdict."""
    out, err, sig = stdout(), stderr(), outcome.signature
    out.print(sig.verdict(), soft_wrap=True)
    if sig.signed:
        out.print(f"signer: {sig.signer or 'unknown'}", soft_wrap=True)
    if outcome.result is not None:
        out.print(f"result: {outcome.result.decision} {outcome.result.digest}", soft_wrap=True)
    if outcome.reevaluated is not None:
        same = outcome.reevaluated.digest == (outcome.result.digest if outcome.result else "")
        out.print(f"re-evaluated: {outcome.reevaluated.digest} "
                  f"({'the same' if same else 'DIFFERENT'})", soft_wrap=True)
    for difference in outcome.differences:
        out.print(f"  differs: {difference}", soft_wrap=True)
    for problem in outcome.problems:
        err.print(styled("FAIL", "red", f": {problem}"), soft_wrap=True)
    for note in outcome.notes:
        out.print(f"note: {note}", soft_wrap=True)
    out.print(styled("verified", "green") if outcome.ok else styled("NOT verified", "red"))
