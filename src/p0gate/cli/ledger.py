"""`ledger list|show|verify`: the history of decisions and its hash chain."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

import click

from p0gate.cli.common import LEDGER_OPTION, PathArg, ledger_signers, stderr, stdout
from p0gate.errors import ExitCode

if TYPE_CHECKING:
    from collections.abc import Mapping
    from contextlib import AbstractContextManager

    from p0gate.ledger import Ledger


@click.group()
def ledger() -> None:
    """History of decisions: list, show and verify the hash chain."""


def _ledger(url: str | None) -> AbstractContextManager[Ledger]:
    from p0gate.ledger import DEFAULT_URL, Ledger

    return closing(Ledger.open(url or DEFAULT_URL))


@ledger.command("list")
@LEDGER_OPTION
def ledger_list(url: str | None) -> int:
    """One line per recorded decision, oldest first."""
    with _ledger(url) as book:
        entries = book.entries()
    out = stdout()
    for e in entries:
        out.print(f"{e.seq:>5}  {e.recorded_at}  {e.system} {e.version}  {e.phase:<10} "
                  f"{e.decision:<5}  result {e.result_digest[:12]}…",
                  soft_wrap=True)
    out.print(f"{len(entries)} decisions")
    return 0


@ledger.command("show")
@click.argument("seq", type=click.IntRange(min=1))
@LEDGER_OPTION
def ledger_show(seq: int, url: str | None) -> int:
    """Every field of one recorded decision (SEQ as `ledger list` numbers it)."""
    from dataclasses import asdict

    with _ledger(url) as book:
        entry = book.entry(seq)
    for name, value in asdict(entry).items():
        stdout().print(f"{name}: {value}", soft_wrap=True)
    return 0


@ledger.command("verify")
@LEDGER_OPTION
@click.option("--trust", type=PathArg, help="Trust store whose `ledger` keys must sign every "
              "row (default: ./policies/trust when present).")
def ledger_verify(url: str | None, trust: Path | None) -> int:
    """Recompute the hash chain and the row signatures; exit 3 when a row was edited,
    inserted, deleted, re-hashed without the ledger key, or holds what no row can hold."""
    folder, signers = ledger_signers(trust)
    with _ledger(url) as book:
        problems = book.verify(signers=signers)
        count = book.head_now()[0] if not problems else None
    for problem in problems:
        stderr().print(f"tampered: {problem}", soft_wrap=True)
    if problems:
        stdout().print(f"ledger: {len(problems)} problems: NOT intact")
        return int(ExitCode.INVALID_INPUT)
    stdout().print(f"ledger: {count} rows, chain intact")
    stdout().print(_signature_note(folder, signers), soft_wrap=True)
    return 0


def _signature_note(folder: Path | None, signers: Mapping[str, object]) -> str:
    if signers:
        return (f"signatures: every row signed by a `ledger` key of {folder}/trust.yaml "
                f"({len(signers)} trusted)")
    where = f"{folder}/trust.yaml names no `ledger` signer" if folder else "no trust store"
    return (f"signatures: not checked ({where}): someone who can write the database can "
            "rewrite rows and recompute their hashes")
