"""What the commands share: consoles, the environment's settings and the option groups.

Options that several commands take are declared once, here, as groups that hand the command
one value: the evaluation's ``Inputs``, the signing ``identity``, the checked ``reports``,
the ``now`` of the clock.
"""

from __future__ import annotations

import functools
import io
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )
    from rich.console import Console
    from rich.text import Text

    from p0gate.evidence.bundle import ProgressHook
    from p0gate.runner import Inputs
    from p0gate.signing import Identity

PathArg = click.Path(path_type=Path)
Command = Callable[..., int]


def stderr() -> Console:
    return _console_class()(stderr=True, highlight=False, markup=False, emoji=False)


def stdout() -> Console:
    return _console_class()(highlight=False, markup=False, emoji=False)


@functools.cache
def _console_class() -> type[Console]:
    """A rich Console for user text: no markup, no emoji codes (a ``[red]`` or ``:x:`` in a
    title, message or path is text), and every string it renders with its control
    characters shown as escapes, never obeyed. Styled words are ``Text`` objects."""
    from rich.console import Console

    from p0gate.terminal import printable

    class SafeConsole(Console):
        def render_str(self, text: str, **kwargs: Any) -> Text:
            return super().render_str(printable(text), **kwargs)

    return SafeConsole


class PrintableStream(io.TextIOBase):
    """Writes to ``stream`` with control characters shown as escapes (for click's own
    messages, which repeat what the user typed)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        from p0gate.terminal import printable

        self.stream.write(printable(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


def styled(word: str, style: str, rest: str = "") -> Text:
    """``word`` in ``style`` followed by plain user text ``rest`` (never markup)."""
    from rich.text import Text

    from p0gate.terminal import printable

    return Text.assemble((word, style), printable(rest))


def cache_dir() -> Path | None:
    """$P0GATE_CACHE_DIR (empty: no cache), else $XDG_CACHE_HOME/p0gate or ~/.cache/p0gate."""
    chosen = os.environ.get("P0GATE_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "p0gate"


def _apply(command: Command, *options: Callable[[Command], Command]) -> Command:
    for option in reversed(options):
        command = option(command)
    return command


def inputs_options(*, required: bool) -> Callable[[Command], Command]:
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


def signing_options(command: Command) -> Command:
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


def reports_option(*, required: bool) -> Callable[[Command], Command]:
    """--report FORMAT=PATH, repeatable: the command gets the checked ``reports``."""

    def parse(_: click.Context, __: click.Parameter, specs: tuple[str, ...]) -> list[Any]:
        from p0gate.runner import parse_reports

        return parse_reports(specs)

    return click.option("--report", "reports", multiple=True, required=required,
                        metavar="FORMAT=PATH", callback=parse, help="Write a report; repeatable.")


def now_option(what: str) -> Callable[[Command], Command]:
    """--now ISO8601: the command gets ``now`` as an aware datetime (default: the clock)."""

    def parse(_: click.Context, __: click.Parameter, value: str | None) -> datetime:
        from p0gate.runner import parse_now

        return datetime.now(UTC) if value is None else parse_now(value)

    return click.option("--now", callback=parse,
                        help=f"{what} time, ISO 8601 with timezone (default: now).")


def ledger_key() -> Ed25519PrivateKey | None:
    """$P0GATE_LEDGER_KEY: the Ed25519 key that signs ledger rows, as a PEM file's path or
    as the PEM text itself (a CI secret); None when unset."""
    value = os.environ.get("P0GATE_LEDGER_KEY")
    if not value:
        return None
    from p0gate.attest import load_private_key, private_key
    from p0gate.errors import Location

    if value.lstrip().startswith("-----BEGIN"):
        return private_key(value.encode(), Location(Path("$P0GATE_LEDGER_KEY")))
    return load_private_key(Path(value))


def ledger_signers(trust: Path | None) -> tuple[Path | None, dict[str, Ed25519PublicKey]]:
    """The trust store that judges ledger rows (--trust, else ./policies/trust when it has a
    trust.yaml) and its keys with the role ``ledger``, by fingerprint."""
    from p0gate.checks.trust import TRUST_FILE, load_trust

    folder = trust if trust is not None else Path("policies") / "trust"
    if trust is None and not (folder / TRUST_FILE).is_file():
        return None, {}
    return folder, load_trust(folder).signers_for(LEDGER_ROLE)


LEDGER_ROLE = "ledger"
LEDGER_OPTION = click.option(
    "--ledger", "url", metavar="URL", envvar="P0GATE_LEDGER",
    help="Decision ledger: sqlite:///PATH or postgresql://… (default: $P0GATE_LEDGER; the "
    "ledger commands fall back to sqlite:///.p0gate/ledger.db).")


def progress() -> AbstractContextManager[ProgressHook | None]:
    """A progress bar for large artifacts on an interactive stderr; none in CI logs."""
    from contextlib import nullcontext

    if not sys.stderr.isatty():
        return nullcontext(None)
    from p0gate.progress import progress_hook

    return progress_hook(stderr())


