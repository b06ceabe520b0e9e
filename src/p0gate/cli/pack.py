"""`validate`, `test` and `schema`: a policy pack's lint, its own tests and the file schemas."""

from __future__ import annotations

from pathlib import Path

import click

from p0gate.cli.common import PathArg, cache_dir, stdout, styled
from p0gate.schemas import SCHEMAS


@click.command()
@click.argument("pack", type=PathArg, default=Path("policies"))
def validate(pack: Path) -> int:
    """Lint a policy pack: schema, ids, check parameters, fixture references."""
    from p0gate.packtest import validate_pack

    summary = validate_pack(pack, cache=cache_dir())
    stdout().print(f"{pack}: {summary}")
    return 0


@click.command("test")
@click.argument("pack", type=PathArg, default=Path("policies"))
def test_pack(pack: Path) -> int:
    """Run the pack's fixture tests (tests/*.yaml): expected outcome per control."""
    from p0gate.packtest import run_pack_tests

    report = run_pack_tests(pack, cache=cache_dir())
    out = stdout()
    for case in report.cases:
        mark = styled("PASS", "green") if case.ok else styled("FAIL", "red")
        out.print(mark + styled("", "", f" {case.name} ({case.checked} expectations)"))
        for miss in case.misses:
            out.print(f"    {miss}")
    out.print(f"{report.passed} passed, {report.failed} failed")
    return 0 if report.failed == 0 else 1


@click.command()
@click.argument("what", type=click.Choice(SCHEMAS))
def schema(what: str) -> int:
    """Print the JSON Schema of policy files, bundle manifests or results."""
    from p0gate.schemas import schema_json

    click.echo(schema_json(what))
    return 0
