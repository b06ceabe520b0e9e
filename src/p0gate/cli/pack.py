"""`validate`, `test` and `schema`: a policy pack's lint, its own tests and the file schemas."""

from __future__ import annotations

from pathlib import Path

import click

from p0gate.cli.common import PathArg, cache_dir, epilog, stderr, stdout, styled
from p0gate.schemas import SCHEMAS

PACK_CODES = "Exit codes: 0 valid · 2 usage error · 3 invalid pack (file, line and fix named)."


@click.command(epilog=epilog("p0gate validate policies", "p0gate validate examples/payments-api",
                             codes=PACK_CODES))
@click.argument("pack", type=PathArg, default=Path("policies"))
def validate(pack: Path) -> int:
    """Lint a policy pack: schema, ids, check parameters, fixture references."""
    from p0gate.packtest import validate_pack

    summary, notes = validate_pack(pack, cache=cache_dir())
    for note in notes:
        stderr().print(f"note: {note}", soft_wrap=True)
    stdout().print(f"{pack}: {summary}")
    return 0


@click.command("test", epilog=epilog(
    "p0gate test policies", "p0gate schema test > test.schema.json   # for your editor",
    codes="Exit codes: 0 every case holds · 1 a case does not · 2 usage error · 3 invalid "
    "pack or case."))
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


@click.command(epilog=epilog(
    "p0gate schema policy > policy.schema.json",
    "# then, first line of a policy file: # yaml-language-server: $schema=policy.schema.json",
    "p0gate schema test   # fixture cases (tests/*.yaml)",
    codes="Exit codes: 0 printed · 2 usage error."))
@click.argument("what", type=click.Choice(SCHEMAS))
def schema(what: str) -> int:
    """Print the JSON Schema of policy files (policy), pack.yaml (pack), bundle manifests
    (bundle), fixture cases (test) or results (result)."""
    from p0gate.schemas import schema_json

    click.echo(schema_json(what))
    return 0


@click.command("init-pack", epilog=epilog(
    "p0gate init-pack payments-pack && p0gate test payments-pack",
    codes="Exit codes: 0 written · 2 usage error · 3 the folder is not empty."))
@click.argument("folder", type=PathArg)
@click.option("--name", help="The pack's name (default: the folder's name).")
def init_pack(folder: Path, name: str | None) -> int:
    """Write a starter pack: three controls, two authorities, a passing and a failing
    fixture case with sealed bundles."""
    from p0gate.starter import init_pack as write

    written = write(folder, name=name)
    stdout().print(f"wrote {len(written)} files to {folder}: try `p0gate test {folder}`")
    return 0
