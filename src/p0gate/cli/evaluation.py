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

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from p0gate.result import Result
    from p0gate.runner import Inputs, Outputs, Published, ReportRequest
    from p0gate.signing import Identity
    from p0gate.verify import Verification


GATE_OPTION = click.option(
    "--gate", "--phase", "gate", metavar="GATE",
    help="Gate to decide, one of the pack's gates (--phase: the old name).")


@click.command(epilog=epilog(
    "p0gate evaluate --evidence evidence/examples/lifecycle/01-pre-release --gate beta "
    "--report junit=reports/gate.xml --report sarif=reports/gate.sarif",
    "p0gate evaluate --evidence bundle.tar.gz --waivers waivers.yaml --report "
    "pdf=reports/gate.pdf --pkcs12 signer.p12   # password in P0GATE_PKCS12_PASSWORD"))
@inputs_options(required=True)
@GATE_OPTION
@now_option("Evaluation")
@reports_option(required=False)
@signing_options
@LEDGER_OPTION
@SARIF_ROOT_OPTION
@click.option("--quiet", "-q", is_flag=True, help="Print only the decision line.")
@click.option("--verbose", "-v", is_flag=True, help="Also list every applicable control.")
def evaluate(inputs: Inputs, gate: str | None, now: datetime, reports: list[ReportRequest],
             identity: Identity | None, url: str | None, sarif_root: Path | None, quiet: bool,
             verbose: bool) -> int:
    """Evaluate a policy pack against an evidence bundle and decide GO or NO-GO at a gate.

    A gate's `after:` and prior-phase checks read the decision ledger (--ledger, default
    sqlite:///.p0gate/ledger.db). With --ledger the decision is appended to it (signed with
    $P0GATE_LEDGER_KEY when set) and the result records the ledger's head before it."""
    from dataclasses import replace

    from p0gate import runner

    key = ledger_key()
    with progress() as hook:
        result = runner.evaluate_paths(replace(inputs, ledger=url), gate=gate, now=now,
                                       progress=hook, cache=cache_dir(),
                                       ledger=runner.ledger_head(url))
    _show(result, quiet=quiet, verbose=verbose)
    _publish(result, outputs_of(inputs, reports, identity, url, key, sarif_root))
    return result.exit_code


def outputs_of(inputs: Inputs, reports: list[ReportRequest], identity: Identity | None,
               url: str | None, key: Ed25519PrivateKey | None,
               sarif_root: Path | None = None) -> Outputs:
    """Where the result of an evaluation of ``inputs`` goes: reports, the CI step summary,
    the ledger; SARIF points into the pack, the history chart reads with its trust store."""
    from p0gate import runner

    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    return runner.Outputs(reports, identity, Path(summary) if summary else None, url, key,
                          pack_root=inputs.policies,
                          trust=inputs.trust or inputs.policies / "trust",
                          sarif_root=_sarif_root(reports, sarif_root))


def _show(result: Result, *, quiet: bool, verbose: bool = False) -> None:
    if quiet:
        click.echo(result.headline())
        return
    from rich.text import Text

    from p0gate import terminal

    stdout().print(terminal.summary(result, verbose=verbose))
    stdout().print(terminal.decision_line(result))
    if result.after is not None:
        state = ("met", "") if result.after.met else ("NOT met", "bold red")
        stdout().print(Text.assemble(
            terminal.plain(f"after {result.after.gate} ({result.after.min_days:g} days): "),
            state, terminal.plain(f": {result.after.message}")), soft_wrap=True)


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
    "p0gate report reports/01-beta.json --report pdf=reports/01-beta.pdf --pkcs12 signer.p12",
    "p0gate report reports/01-beta.json --report html=reports/01-beta.html --ledger "
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
              "(default: $P0GATE_LEDGER; nothing is recorded); rows count as `after:` "
              "counts them, with the --policies pack's trust store.")
def report(result_file: Path, reports: list[ReportRequest], identity: Identity | None,
           policies: Path, sarif_root: Path | None, url: str | None) -> int:
    """Render reports from a stored result JSON (e.g. a signed PDF after the CI run)."""
    from p0gate import runner
    from p0gate.formats.base import ReportContext
    from p0gate.prior import read_history

    result = runner.stored_result(result_file)
    history = read_history(result, url, trust=policies / "trust") if url else ()
    context = ReportContext(history=history, pack_root=_same_pack(policies, result),
                            sarif_root=_sarif_root(reports, sarif_root))
    with spinner() as step:
        written = runner.write_reports(result, reports, identity=identity, context=context,
                                       at=datetime.now(UTC), progress=step)
    _published(runner.Published(written, None))
    return 0


@click.command(epilog=epilog(
    "p0gate verify reports/01-beta.pdf --trust-cert ca.pem",
    "p0gate verify reports/01-beta.pdf --trust-cert ca.pem --evidence "
    "evidence/examples/lifecycle/01-pre-release --policies policies",
    codes="Exit codes: 0 verified · 1 NOT verified (signature, trust, digest or "
    "re-evaluation) · 2 usage error · 3 unreadable input · 70 internal error."))
@click.argument("pdf", metavar="REPORT.pdf", type=PathArg)
@click.option("--trust-cert", type=PathArg, help="PEM/DER certificate the signer must chain to.")
@click.option("--insecure-skip-trust", is_flag=True,
              help="Check integrity only: accept a signer that no trust anchor vouches for.")
@inputs_options(required=False)
@LEDGER_OPTION
def verify(pdf: Path, trust_cert: Path | None, insecure_skip_trust: bool,
           inputs: Inputs | None, url: str | None) -> int:
    """Verify a signed PDF report: signature, trust, embedded result and, with --evidence
    (and the flags of the original evaluation, --ledger for a gate's `after:`), a
    re-evaluation that must give its digest. Without --trust-cert nothing is verified
    (exit 1) unless --insecure-skip-trust."""
    from dataclasses import replace

    from p0gate.verify import verify_report

    inputs = replace(inputs, ledger=url) if inputs is not None else None
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
