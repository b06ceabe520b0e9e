"""The command line: the only package that imports click, prints, exits or reads the environment.

Every command returns an exit code; ``run`` turns ``P0gateError``s into one message and
their exit code, and anything unexpected into exit 70 (a bug must never look like NO-GO).
``COMMANDS`` is the registry: one module per family of commands, one line per command.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import click

from p0gate import __version__
from p0gate.cli import collect, evaluation, evidence, ledger, lifecycle, pack
from p0gate.cli.common import EXIT_CODES, PrintableStream, epilog, stderr, styled
from p0gate.errors import ExitCode, P0gateError

COMMANDS: tuple[click.Command, ...] = (
    evaluation.evaluate,
    evaluation.report,
    evaluation.verify,
    lifecycle.monitor,
    lifecycle.status,
    pack.validate,
    pack.test_pack,
    pack.schema,
    pack.init_pack,
    evidence.bundle,
    evidence.signoff,
    evidence.vectors,
    collect.collect,
    ledger.ledger,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=epilog(
    "p0gate init-pack mypack && p0gate test mypack",
    "p0gate evaluate --evidence bundle/ --policies mypack --gate canary --report "
    "sarif=gate.sarif",
    "p0gate COMMAND --help   # each command's examples and exit codes", codes=EXIT_CODES))
@click.version_option(__version__, prog_name="p0gate")
@click.option("--debug", is_flag=True, expose_value=False,
              help="Show tracebacks of internal errors.")
def cli() -> None:
    """p0gate: policy-as-code release gate (GO exits 0, NO-GO 1; monitor: OK 0, ROLLBACK 5)."""


for _command in COMMANDS:
    cli.add_command(_command)


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; never raises."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args or bool(os.environ.get("P0GATE_DEBUG"))
    try:
        code = cli.main(args=args, prog_name="p0gate", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show(file=PrintableStream(sys.stderr))  # type: ignore[arg-type]
        return int(ExitCode.USAGE)
    except click.exceptions.Abort:
        stderr().print("aborted")
        return int(ExitCode.USAGE)
    except P0gateError as exc:
        stderr().print(styled("error", "bold red", f": {exc}"), soft_wrap=True)
        return int(exc.exit_code)
    except Exception as exc:  # a bug: never let it look like NO-GO
        if debug:
            import traceback

            traceback.print_exc()
        stderr().print(f"internal error: {type(exc).__name__}: {exc}\n"
                        "this is a bug in p0gate; rerun with --debug for the traceback",
                        markup=False)
        return int(ExitCode.INTERNAL)
    return code if isinstance(code, int) else 0


def main() -> NoReturn:
    sys.exit(run())
