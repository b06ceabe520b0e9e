"""`bundle init|seal|verify`, `signoff` and `vectors`: making and checking evidence."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import get_args

import click

from p0gate.cli.common import PathArg, now_option, stderr, stdout, styled
from p0gate.clinical.instruments import INSTRUMENTS
from p0gate.errors import ExitCode
from p0gate.outcome import Verdict


@click.group()
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
    stdout().print(f"wrote {path}: review kinds and sources, then `p0gate bundle seal`")
    return 0


@bundle.command("seal")
@click.argument("directory", type=PathArg)
def bundle_seal(directory: Path) -> int:
    """Fill in sha256 and size of every artifact in the manifest."""
    from p0gate.evidence.manage import seal

    stdout().print(f"sealed {seal(directory)} artifacts in {directory}/manifest.yaml")
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
        stderr().print(styled(problem.artifact, "red", f": {problem.message}"), soft_wrap=True)
    stdout().print(f"{source}: {count - len(problems)} of {count} artifacts verified")
    return int(ExitCode.INVALID_INPUT) if problems else 0


@click.command()
@click.option("--role", required=True, help="Role signed for, e.g. clinical-authority.")
@click.option("--signer", required=True, help="Your name, as in the trust store.")
@click.option("--key", type=PathArg, required=True, help="Ed25519 private key (PEM).")
@click.option("--evidence", type=PathArg, required=True, help="The bundle being approved.")
@click.option("--decision", type=click.Choice(get_args(Verdict)), default="approve",
              show_default=True)
@click.option("--comment", help="Optional remark recorded in the statement.")
@now_option("Signing")
@click.option("-o", "--output", type=PathArg, required=True, help="Where to write the YAML.")
def signoff(role: str, signer: str, key: Path, evidence: Path, decision: Verdict,
            comment: str | None, now: datetime, output: Path) -> int:
    """Write an Ed25519-signed sign-off over the bundle's evidence digest."""
    from p0gate.attest import write_signoff

    statement = write_signoff(output, evidence=evidence, key=key, role=role, signer=signer,
                              decision=decision, signed_at=now, comment=comment)
    digest = statement.subject.evidence_digest
    stdout().print(f"wrote {output}: {role} {decision}s evidence {digest[:12]}…; add it to "
                    "the bundle as kind signoff and re-seal")
    return 0


@click.command()
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
    stderr().print(f"wrote {output} ({body.count(chr(10)) - 1} vectors)")
    return 0
