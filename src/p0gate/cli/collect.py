"""`collect`: fetch evidence from where telemetry lives into a new, sealed bundle."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import click

from p0gate.cli.common import (
    Command,
    PathArg,
    cache_dir,
    epilog,
    now_option,
    stderr,
    stdout,
    styled,
)


def _time(option: str) -> Callable[[Command], Command]:
    def parse(_: click.Context, __: click.Parameter, value: str) -> datetime:
        from p0gate.runner import parse_now

        return parse_now(value, option)

    return click.option(option, callback=parse, required=True, metavar="ISO8601",
                        help=f"{'Start' if option == '--from' else 'End'} of the time range, "
                        "with a timezone.")


@click.command(epilog=epilog(
    "p0gate collect collect.yaml --policies policies --out bundle "
    "--from 2025-10-01T00:00:00Z --to 2025-10-08T00:00:00Z",
    "p0gate evaluate --evidence bundle --gate production-50   # then judge what was collected",
    codes="Exit codes: 0 collected · 2 usage error · 3 invalid spec or pack (or no gate judges "
    "the spec's phase), or a source failed · 70 internal error."))
@click.argument("spec", type=PathArg)
@click.option("--policies", type=PathArg, default=Path("policies"), show_default=True,
              help="The pack whose controls say what to fetch.")
@click.option("--out", type=PathArg, required=True, help="The bundle folder to write.")
@_time("--from")
@_time("--to")
@now_option("Collection")
def collect(spec: Path, policies: Path, out: Path, now: datetime, **span: datetime) -> int:
    """Run a collection spec (kind: Collection): ask each source for what the pack's controls
    need at the gates that will judge the spec's phase (their overrides applied), write the
    artifacts with their provenance and a sealed manifest. Globs and file paths in the spec
    are relative to the working folder."""
    from p0gate.collect.engine import Window, run
    from p0gate.policy import load_pack

    pack = load_pack(policies, cache=cache_dir())
    window = Window(Path.cwd(), span["from"], span["to"])
    manifest, notes = run(spec, pack, out, window, now=now)
    for note in notes:
        stderr().print(styled("note", "yellow", f": {note}"), soft_wrap=True)
    stdout().print(f"wrote {manifest}: judge it with `p0gate evaluate --evidence {out} --gate "
                   "GATE`", markup=False, soft_wrap=True)
    return 0
