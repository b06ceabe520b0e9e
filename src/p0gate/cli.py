"""The command line: the only module that imports click, prints or exits.

Every command returns an exit code; ``main`` turns ``P0gateError``s into one message and
their exit code, and anything unexpected into exit 70 (a bug must never look like NO-GO).
"""

from __future__ import annotations

import os
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from p0gate import __version__
from p0gate.errors import ExitCode, P0gateError

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from rich.console import Console

    from p0gate.evidence.bundle import ProgressHook

PHASES = ("beta", "staging", "production")
PathArg = click.Path(path_type=Path)


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _stdout() -> Console:
    from rich.console import Console

    return Console(highlight=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="p0gate")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def cli(debug: bool) -> None:
    """p0gate: policy-as-code release gate (GO exits 0, NO-GO exits 1)."""


@cli.command()
@click.option("--evidence", type=PathArg, required=True, help="Bundle folder, .tar.gz or .zip.")
@click.option("--phase", type=click.Choice(PHASES), help="Gate to decide (default: bundle's).")
@click.option("--policies", type=PathArg, default=Path("policies"), show_default=True)
@click.option("--baseline", type=PathArg, help="Bundle of the previous phase (regression).")
@click.option("--trust", type=PathArg, help="Trust store folder (default: POLICIES/trust).")
@click.option("--now", help="Evaluation time, ISO 8601 with timezone (default: now).")
@click.option("--report", "reports", multiple=True, metavar="FORMAT=PATH",
              help="Write a report; repeatable.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the decision line.")
def evaluate(evidence: Path, phase: str | None, policies: Path, baseline: Path | None,
             trust: Path | None, now: str | None, reports: tuple[str, ...], quiet: bool) -> int:
    """Evaluate a policy pack against an evidence bundle and decide GO or NO-GO."""
    from p0gate import runner, terminal

    requests = runner.parse_reports(reports)
    when = runner.parse_now(now, datetime.now(UTC))
    with _progress() as hook:
        result = runner.evaluate_paths(policies=policies, evidence=evidence, phase=phase,
                                       now=when, baseline=baseline, trust=trust, progress=hook)
    out = _stdout()
    if not quiet:
        out.print(terminal.summary_table(result))
    out.print(terminal.decision_line(result))
    for path in runner.write_reports(result, requests):
        _stderr().print(f"wrote {path}")
    return result.exit_code


@cli.command()
@click.argument("pack", type=PathArg, default=Path("policies"))
def validate(pack: Path) -> int:
    """Lint a policy pack: schema, ids, check parameters, fixture references."""
    from p0gate.packtest import validate_pack

    summary = validate_pack(pack)
    _stdout().print(f"{pack}: {summary}")
    return 0


@cli.command("test")
@click.argument("pack", type=PathArg, default=Path("policies"))
def test_pack(pack: Path) -> int:
    """Run the pack's fixture tests (tests/*.yaml): expected outcome per control."""
    from p0gate.packtest import run_pack_tests

    report = run_pack_tests(pack)
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
@click.argument("what", type=click.Choice(("policy", "bundle", "result")))
def schema(what: str) -> int:
    """Print the JSON Schema of policy files, bundle manifests or results."""
    from p0gate.schemas import schema_json

    click.echo(schema_json(what))
    return 0


def _progress() -> AbstractContextManager[ProgressHook]:
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
            traceback.print_exc()
        _stderr().print(f"internal error: {type(exc).__name__}: {exc}\n"
                        "this is a bug in p0gate; rerun with --debug for the traceback",
                        markup=False)
        return int(ExitCode.INTERNAL)
    return code if isinstance(code, int) else 0


def main() -> NoReturn:
    sys.exit(run())
