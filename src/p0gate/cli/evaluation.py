"""`evaluate`, `report` and `verify`: the gate's decision, its reports and their check."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from p0gate.cli.common import (
    LEDGER_OPTION,
    SARIF_ROOT_OPTION,
    PathArg,
    cache_dir,
    epilog,
    inputs_options,
    ledger_key,
    now_option,
    progress,
    reports_option,
    sarif_root,
    signing_options,
    spinner,
    stderr,
    stdout,
    styled,
)
from p0gate.outcome import PHASES

if TYPE_CHECKING:
    from p0gate.result import Result
    from p0gate.runner import Inputs, Outputs, Published, ReportRequest
    from p0gate.signing import Identity
    from p0gate.verify import Verification


@click.command(epilog=epilog(
    "p0gate evaluate --evidence evidence/examples/beta-go --phase beta "
    "--report junit=reports/gate.xml --report sarif=reports/gate.sarif",
    "p0gate evaluate --evidence bundle.tar.gz --waivers waivers.yaml --report "
    "pdf=reports/gate.pdf --pkcs12 signer.p12   # password in P0GATE_PKCS12_PASSWORD"))
@inputs_options(required=True)
@click.option("--phase", type=click.Choice(PHASES), help="Gate to decide (default: bundle's).")
@now_option("Evaluation")
@reports_option(required=False)
@signing_options
@LEDGER_OPTION
@SARIF_ROOT_OPTION
@click.option("--quiet", "-q", is_flag=True, help="Print only the decision line.")
@click.option("--verbose", "-v", is_flag=True, help="Also list every applicable control.")
def evaluate(inputs: Inputs, phase: str | None, now: datetime, reports: list[ReportRequest],
             identity: Identity | None, url: str | None, sarif_root: Path | None, quiet: bool,
             verbose: bool) -> int:
    """Evaluate a policy pack against an evidence bundle and decide GO or NO-GO.

    With --ledger the decision is appended to the ledger (signed with $P0GATE_LEDGER_KEY
    when set) and the result records the ledger's head before it."""
    from p0gate import runner

    key = ledger_key()
    with progress() as hook:
        result = runner.evaluate_paths(inputs, phase=phase, now=now, progress=hook,
                                       cache=cache_dir(), ledger=runner.ledger_head(url))
    _show(result, quiet=quiet, verbose=verbose)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    outputs = runner.Outputs(reports, identity, Path(summary) if summary else None, url, key,
                             pack_root=inputs.policies,
                             sarif_root=_sarif_root(reports, sarif_root))
    _publish(result, outputs)
    return result.exit_code


def _show(result: Result, *, quiet: bool, verbose: bool = False) -> None:
    if quiet:
        click.echo(result.headline())
        return
    from p0gate import terminal

    stdout().print(terminal.summary(result, verbose=verbose))
    stdout().print(terminal.decision_line(result))


def _sarif_root(reports: list[ReportRequest], chosen: Path | None) -> Path | None:
    """Where SARIF locations start: asked only when a SARIF report is written."""
    return sarif_root(chosen) if any(r.format == "sarif" for r in reports) else None


def _same_pack(folder: Path, result: Result) -> Path | None:
    """``folder`` when it holds the very pack the result was evaluated with (same digest):
    SARIF locations never point into another pack's files."""
    from p0gate.policy import pack_digest

    return folder if folder.is_dir() and pack_digest(folder) == result.pack.digest else None


def _publish(result: Result, outputs: Outputs) -> None:
    """Publish with a spinner on a terminal (rendering and signing a PDF take seconds)."""
    from dataclasses import replace

    from p0gate import runner

    with spinner() as step:
        published = runner.publish(result, replace(outputs, progress=step),
                                   recorded_at=datetime.now(UTC))
    _published(published)


def _published(published: Published) -> None:
    for path in published.reports:
        stderr().print(f"wrote {path}")
    if published.entry is not None:
        entry = published.entry
        stderr().print(f"ledger: recorded row {entry.seq} ({entry.row_hash[:12]}…)")


@click.command(epilog=epilog(
    "p0gate report reports/beta-go.json --report pdf=reports/beta-go.pdf --pkcs12 signer.p12",
    "p0gate report reports/beta-go.json --report html=reports/beta-go.html --ledger "
    "sqlite:///.p0gate/ledger.db   # adds the per-gate history chart",
    codes="Exit codes: 0 written · 2 usage error · 3 invalid input (the result or a key) · "
    "4 a report could not be written or signed · 70 internal error."))
@click.argument("result_file", metavar="RESULT.json", type=PathArg)
@reports_option(required=True)
@signing_options
@click.option("--policies", type=PathArg, default=Path("policies"), show_default=True,
              help="The pack the result came from: SARIF locations point into it when its "
              "digest is the result's.")
@SARIF_ROOT_OPTION
@click.option("--ledger", "url", metavar="URL", envvar="P0GATE_LEDGER",
              help="Read the decision history of this ledger for the HTML and PDF charts "
              "(default: $P0GATE_LEDGER; nothing is recorded).")
def report(result_file: Path, reports: list[ReportRequest], identity: Identity | None,
           policies: Path, sarif_root: Path | None, url: str | None) -> int:
    """Render reports from a stored result JSON (e.g. a signed PDF after the CI run)."""
    from p0gate import runner
    from p0gate.formats.base import ReportContext

    result = runner.stored_result(result_file)
    history = runner.read_history(result, url) if url else ()
    context = ReportContext(history=history, pack_root=_same_pack(policies, result),
                            sarif_root=_sarif_root(reports, sarif_root))
    with spinner() as step:
        written = runner.write_reports(result, reports, identity=identity, context=context,
                                       at=datetime.now(UTC), progress=step)
    _published(runner.Published(written, None))
    return 0


@click.command(epilog=epilog(
    "p0gate verify reports/beta-go.pdf --trust-cert ca.pem",
    "p0gate verify reports/beta-go.pdf --trust-cert ca.pem --evidence "
    "evidence/examples/beta-go --policies policies",
    codes="Exit codes: 0 verified · 1 NOT verified (signature, trust, digest or "
    "re-evaluation) · 2 usage error · 3 unreadable input · 70 internal error."))
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
