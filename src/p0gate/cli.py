"""The command line: the only module that imports click, prints, exits or reads the environment.

Every command returns an exit code; ``main`` turns ``P0gateError``s into one message and
their exit code, and anything unexpected into exit 70 (a bug must never look like NO-GO).
Options that several commands share are declared once, below, as groups that hand the
command one value: the evaluation's ``Inputs``, the signing ``identity``, the ``reports``.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, get_args

import click

from p0gate import __version__
from p0gate.clinical.instruments import INSTRUMENTS
from p0gate.errors import ExitCode, P0gateError
from p0gate.outcome import PHASES, Verdict
from p0gate.schemas import SCHEMAS

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from rich.console import Console

    from p0gate.evidence.bundle import ProgressHook
    from p0gate.ledger import Ledger
    from p0gate.result import Result
    from p0gate.runner import Inputs, Published, ReportRequest
    from p0gate.signing import Identity

PathArg = click.Path(path_type=Path)
Command = Callable[..., int]


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _stdout() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def _cache_dir() -> Path | None:
    """$P0GATE_CACHE_DIR (empty: no cache), else $XDG_CACHE_HOME/p0gate or ~/.cache/p0gate."""
    chosen = os.environ.get("P0GATE_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "p0gate"


# ---- option groups, each declared once ------------------------------------------------------

def _apply(command: Command, *options: Callable[[Command], Command]) -> Command:
    for option in reversed(options):
        command = option(command)
    return command


def _inputs_options(*, required: bool) -> Callable[[Command], Command]:
    """--evidence, --policies, --baseline, --trust, --waivers: the command gets ``inputs``
    (None when no --evidence is given and it is optional)."""

    def decorate(command: Command) -> Command:
        @functools.wraps(command)
        def with_inputs(*args: Any, evidence: Path | None, policies: Path | None,
                        baseline: Path | None, trust: Path | None, waivers: Path | None,
                        **kwargs: Any) -> int:
            return command(*args, inputs=_inputs(evidence, policies, baseline, trust, waivers),
                           **kwargs)

        return _apply(
            with_inputs,
            click.option("--evidence", type=PathArg, required=required,
                         help="Evidence bundle: a folder, .tar.gz or .zip."),
            click.option("--policies", type=PathArg, help="Policy pack folder (default: "
                         "./policies)."),
            click.option("--baseline", type=PathArg, help="Bundle of the previous phase, for "
                         "regression checks."),
            click.option("--trust", type=PathArg, help="Trust store folder (default: "
                         "POLICIES/trust)."),
            click.option("--waivers", type=PathArg, help="WaiverSet YAML file of approved "
                         "waivers."),
        )

    return decorate


def _inputs(evidence: Path | None, policies: Path | None, baseline: Path | None,
            trust: Path | None, waivers: Path | None) -> Inputs | None:
    from p0gate.runner import DEFAULT_POLICIES, Inputs

    if evidence is None:
        if policies or baseline or trust or waivers:
            raise click.UsageError("--policies, --baseline, --trust and --waivers need --evidence")
        return None
    return Inputs(evidence, policies or DEFAULT_POLICIES, baseline, trust, waivers)


def _signing_options(command: Command) -> Command:
    """--pkcs12, or --key with --cert: the command gets the PDF signing ``identity``."""

    @functools.wraps(command)
    def with_identity(*args: Any, pkcs12: Path | None, key: Path | None, cert: Path | None,
                      **kwargs: Any) -> int:
        return command(*args, identity=_identity(pkcs12, key, cert), **kwargs)

    return _apply(
        with_identity,
        click.option("--pkcs12", type=PathArg, help="Sign PDF reports (password: "
                     "P0GATE_PKCS12_PASSWORD)."),
        click.option("--key", type=PathArg, help="Sign PDF reports with this PEM key (with "
                     "--cert)."),
        click.option("--cert", type=PathArg, help="PEM certificate of --key."),
    )


def _identity(pkcs12: Path | None, key: Path | None, cert: Path | None) -> Identity | None:
    """The PDF signing identity from the flags; the PKCS#12 password from the environment."""
    if pkcs12 is None and key is None and cert is None:
        return None
    if pkcs12 is not None and (key is not None or cert is not None):
        raise click.UsageError("use --pkcs12, or --key with --cert, not both")
    from p0gate.signing import load_signer

    password = os.environ.get("P0GATE_PKCS12_PASSWORD")
    return load_signer(pkcs12=pkcs12, key=key, cert=cert,
                       password=password.encode() if password is not None else None)


def _reports_option(*, required: bool) -> Callable[[Command], Command]:
    """--report FORMAT=PATH, repeatable: the command gets the checked ``reports``."""

    def parse(_: click.Context, __: click.Parameter, specs: tuple[str, ...]) -> list[Any]:
        from p0gate.runner import parse_reports

        return parse_reports(specs)

    return click.option("--report", "reports", multiple=True, required=required,
                        metavar="FORMAT=PATH", callback=parse, help="Write a report; repeatable.")


def _now_option(what: str) -> Callable[[Command], Command]:
    """--now ISO8601: the command gets ``now`` as an aware datetime (default: the clock)."""

    def parse(_: click.Context, __: click.Parameter, value: str | None) -> datetime:
        from p0gate.runner import parse_now

        return datetime.now(UTC) if value is None else parse_now(value)

    return click.option("--now", callback=parse,
                        help=f"{what} time, ISO 8601 with timezone (default: now).")


_LEDGER_OPTION = click.option(
    "--ledger", "url", metavar="URL", envvar="P0GATE_LEDGER",
    help="Decision ledger: sqlite:///PATH or postgresql://… (default: $P0GATE_LEDGER; the "
    "ledger commands fall back to sqlite:///.p0gate/ledger.db).")


# ---- commands -------------------------------------------------------------------------------

@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="p0gate")
@click.option("--debug", is_flag=True, expose_value=False,
              help="Show tracebacks of internal errors.")
def cli() -> None:
    """p0gate: policy-as-code release gate (GO exits 0, NO-GO exits 1)."""


@cli.command()
@_inputs_options(required=True)
@click.option("--phase", type=click.Choice(PHASES), help="Gate to decide (default: bundle's).")
@_now_option("Evaluation")
@_reports_option(required=False)
@_signing_options
@_LEDGER_OPTION
@click.option("--quiet", "-q", is_flag=True, help="Print only the decision line.")
def evaluate(inputs: Inputs, phase: str | None, now: datetime, reports: list[ReportRequest],
             identity: Identity | None, url: str | None, quiet: bool) -> int:
    """Evaluate a policy pack against an evidence bundle and decide GO or NO-GO."""
    from p0gate import runner

    with _progress() as hook:
        result = runner.evaluate_paths(inputs, phase=phase, now=now, progress=hook,
                                       cache=_cache_dir())
    _show(result, quiet=quiet)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    outputs = runner.Outputs(reports, identity, Path(summary) if summary else None, url)
    _published(runner.publish(result, outputs, recorded_at=datetime.now(UTC)))
    return result.exit_code


def _show(result: Result, *, quiet: bool) -> None:
    if quiet:
        click.echo(result.headline())
        return
    from p0gate import terminal

    _stdout().print(terminal.summary_table(result))
    _stdout().print(terminal.decision_line(result))


def _published(published: Published) -> None:
    for path in published.reports:
        _stderr().print(f"wrote {path}")
    if published.entry is not None:
        entry = published.entry
        _stderr().print(f"ledger: recorded row {entry.seq} ({entry.row_hash[:12]}…)")


@cli.command()
@click.argument("pack", type=PathArg, default=Path("policies"))
def validate(pack: Path) -> int:
    """Lint a policy pack: schema, ids, check parameters, fixture references."""
    from p0gate.packtest import validate_pack

    summary = validate_pack(pack, cache=_cache_dir())
    _stdout().print(f"{pack}: {summary}")
    return 0


@cli.command("test")
@click.argument("pack", type=PathArg, default=Path("policies"))
def test_pack(pack: Path) -> int:
    """Run the pack's fixture tests (tests/*.yaml): expected outcome per control."""
    from p0gate.packtest import run_pack_tests

    report = run_pack_tests(pack, cache=_cache_dir())
    out = _stdout()
    for case in report.cases:
        mark = "[green]PASS[/]" if case.ok else "[red]FAIL[/]"
        out.print(f"{mark} {case.name} ({case.checked} expectations)")
        for miss in case.misses:
            out.print(f"    {miss}")
    out.print(f"{report.passed} passed, {report.failed} failed")
    return 0 if report.failed == 0 else 1


@cli.group()
def bundle() -> None:
    """Create, seal and verify evidence bundles."""


@bundle.command("init")
@click.argument("directory", type=PathArg)
@click.option("--system", required=True)
@click.option("--version", "version_", required=True)
def bundle_init(directory: Path, system: str, version_: str) -> int:
    """Write a manifest.yaml listing the folder's files (review the kinds, then seal)."""
    from p0gate.evidence.manage import init

    path = init(directory, system=system, version=version_, now=datetime.now(UTC))
    _stdout().print(f"wrote {path}: review kinds and sources, then `p0gate bundle seal`")
    return 0


@bundle.command("seal")
@click.argument("directory", type=PathArg)
def bundle_seal(directory: Path) -> int:
    """Fill in sha256 and size of every artifact in the manifest."""
    from p0gate.evidence.manage import seal

    _stdout().print(f"sealed {seal(directory)} artifacts in {directory}/manifest.yaml")
    return 0


@bundle.command("verify")
@click.argument("source", type=PathArg)
def bundle_verify(source: Path) -> int:
    """Check every artifact's presence, confinement, size and sha256."""
    from p0gate.evidence.bundle import open_bundle
    from p0gate.evidence.manage import verify

    with open_bundle(source) as opened:
        problems = verify(opened)
        count = len(opened.manifest.artifacts)
    for problem in problems:
        _stderr().print(f"[red]{problem.artifact}[/]: {problem.message}")
    _stdout().print(f"{source}: {count - len(problems)} of {count} artifacts verified")
    return int(ExitCode.INVALID_INPUT) if problems else 0


@cli.command()
@click.argument("what", type=click.Choice(SCHEMAS))
def schema(what: str) -> int:
    """Print the JSON Schema of policy files, bundle manifests or results."""
    from p0gate.schemas import schema_json

    click.echo(schema_json(what))
    return 0


@cli.command()
@click.argument("instrument", type=click.Choice(tuple(INSTRUMENTS)))
@click.option("--all", "exhaustive", is_flag=True, help="Every answer vector (4^9 or 4^7).")
@click.option("-o", "--output", type=PathArg, help="Write the CSV here (default: stdout).")
def vectors(instrument: str, exhaustive: bool, output: Path | None) -> int:
    """Reference PHQ-9/GAD-7 vectors as assessment-scores CSV (band edges, item-9 values)."""
    from p0gate.clinical.vectors import vectors_csv
    from p0gate.errors import OutputError

    body = vectors_csv(INSTRUMENTS[instrument], exhaustive=exhaustive)
    if output is None:
        click.echo(body, nl=False)
        return 0
    try:
        output.write_text(body, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror}") from None
    _stderr().print(f"wrote {output} ({body.count(chr(10)) - 1} vectors)")
    return 0


@cli.command()
@click.argument("result_file", metavar="RESULT.json", type=PathArg)
@_reports_option(required=True)
@_signing_options
def report(result_file: Path, reports: list[ReportRequest], identity: Identity | None) -> int:
    """Render reports from a stored result JSON (e.g. a signed PDF after the CI run)."""
    from p0gate import runner

    result = runner.stored_result(result_file)
    _published(runner.publish(result, runner.Outputs(reports, identity),
                              recorded_at=datetime.now(UTC)))
    return 0


@cli.command()
@click.argument("pdf", metavar="REPORT.pdf", type=PathArg)
@click.option("--trust-cert", type=PathArg, help="PEM/DER certificate the signer must chain to.")
@_inputs_options(required=False)
def verify(pdf: Path, trust_cert: Path | None, inputs: Inputs | None) -> int:
    """Verify a signed PDF report: signature, trust, embedded result and, with --evidence
    (and the flags of the original evaluation), a re-evaluation that must give its digest."""
    from p0gate.verify import verify_report

    outcome = verify_report(pdf, trust_cert=trust_cert, inputs=inputs, cache=_cache_dir())
    out, sig = _stdout(), outcome.signature
    trusted = "not checked" if sig.trusted is None else ("yes" if sig.trusted else "no")
    out.print(f"signature: {sig.summary} · signer {sig.signer or '—'} · trusted {trusted}",
              markup=False)
    if outcome.result is not None:
        out.print(f"result: {outcome.result.decision} {outcome.result.digest}", markup=False)
    if outcome.reevaluated is not None:
        out.print(f"re-evaluated: {outcome.reevaluated}", markup=False)
    for problem in outcome.problems:
        _stderr().print(f"[red]FAIL[/]: {problem}", soft_wrap=True)
    out.print("[green]verified[/]" if outcome.ok else "[red]NOT verified[/]")
    return 0 if outcome.ok else 1


@cli.group()
def ledger() -> None:
    """History of decisions: list, show and verify the hash chain."""


def _ledger(url: str | None) -> AbstractContextManager[Ledger]:
    from p0gate.ledger import DEFAULT_URL, Ledger

    return closing(Ledger.open(url or DEFAULT_URL))


@ledger.command("list")
@_LEDGER_OPTION
def ledger_list(url: str | None) -> int:
    """One line per recorded decision, oldest first."""
    with _ledger(url) as book:
        entries = book.entries()
    out = _stdout()
    for e in entries:
        out.print(f"{e.seq:>5}  {e.recorded_at}  {e.system} {e.version}  {e.phase:<10} "
                  f"{e.decision:<5}  result {e.result_digest[:12]}…", markup=False,
                  soft_wrap=True)
    out.print(f"{len(entries)} decisions")
    return 0


@ledger.command("show")
@click.argument("seq", type=click.IntRange(min=1))
@_LEDGER_OPTION
def ledger_show(seq: int, url: str | None) -> int:
    """Every field of one recorded decision (SEQ as `ledger list` numbers it)."""
    from dataclasses import asdict

    with _ledger(url) as book:
        entry = book.entry(seq)
    for name, value in asdict(entry).items():
        click.echo(f"{name}: {value}")
    return 0


@ledger.command("verify")
@_LEDGER_OPTION
def ledger_verify(url: str | None) -> int:
    """Recompute the hash chain; exit 3 when a row was edited, inserted or deleted."""
    with _ledger(url) as book:
        problems, count = book.verify(), len(book.entries())
    for problem in problems:
        _stderr().print(f"tampered: {problem}", markup=False)
    verdict = "intact" if not problems else f"{len(problems)} problems"
    _stdout().print(f"ledger: {count} rows, chain {verdict}")
    return int(ExitCode.INVALID_INPUT) if problems else 0


@cli.command()
@click.option("--role", required=True, help="Role signed for, e.g. clinical-authority.")
@click.option("--signer", required=True, help="Your name, as in the trust store.")
@click.option("--key", type=PathArg, required=True, help="Ed25519 private key (PEM).")
@click.option("--evidence", type=PathArg, required=True, help="The bundle being approved.")
@click.option("--decision", type=click.Choice(get_args(Verdict)), default="approve",
              show_default=True)
@click.option("--comment", help="Optional remark recorded in the statement.")
@_now_option("Signing")
@click.option("-o", "--output", type=PathArg, required=True, help="Where to write the YAML.")
def signoff(role: str, signer: str, key: Path, evidence: Path, decision: Verdict,
            comment: str | None, now: datetime, output: Path) -> int:
    """Write an Ed25519-signed sign-off over the bundle's evidence digest."""
    from p0gate.attest import write_signoff

    statement = write_signoff(output, evidence=evidence, key=key, role=role, signer=signer,
                              decision=decision, signed_at=now, comment=comment)
    digest = statement.subject.evidence_digest
    _stdout().print(f"wrote {output}: {role} {decision}s evidence {digest[:12]}…; add it to "
                    "the bundle as kind signoff and re-seal")
    return 0


def _progress() -> AbstractContextManager[ProgressHook | None]:
    """A progress bar for large artifacts on an interactive stderr; none in CI logs."""
    from contextlib import nullcontext

    if not sys.stderr.isatty():
        return nullcontext(None)
    from p0gate.progress import progress_hook

    return progress_hook(_stderr())


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; never raises."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args or bool(os.environ.get("P0GATE_DEBUG"))
    try:
        code = cli.main(args=args, prog_name="p0gate", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return int(ExitCode.USAGE)
    except click.exceptions.Abort:
        _stderr().print("aborted")
        return int(ExitCode.USAGE)
    except P0gateError as exc:
        _stderr().print(f"[bold red]error[/]: {exc}", markup=True, soft_wrap=True)
        return int(exc.exit_code)
    except Exception as exc:  # a bug: never let it look like NO-GO
        if debug:
            import traceback

            traceback.print_exc()
        _stderr().print(f"internal error: {type(exc).__name__}: {exc}\n"
                        "this is a bug in p0gate; rerun with --debug for the traceback",
                        markup=False)
        return int(ExitCode.INTERNAL)
    return code if isinstance(code, int) else 0


def main() -> NoReturn:
    sys.exit(run())
