"""Between the CLI and the engine: open the inputs, evaluate, publish the outputs.

The data flows one way: the CLI hands over ``Inputs`` (bundles, pack, waivers) and
``Outputs`` (reports, the CI step summary, the ledger); the runner opens the bundles into an
evidence store, loads the pack while the store reads ahead, evaluates, and publishes the
result to every requested output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from p0gate.errors import InputError, OutputError, UnvouchedError, UsageError
from p0gate.evidence.bundle import Bundle, ProgressHook, open_bundle
from p0gate.evidence.store import EvidenceStore

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from p0gate.evaluate import Mode
    from p0gate.formats.base import HistoryPoint, ReportContext
    from p0gate.history import History
    from p0gate.ledger import Entry
    from p0gate.policy import Pack
    from p0gate.result import LedgerHead, Result
    from p0gate.signing import Identity

DEFAULT_POLICIES = Path("policies")


@dataclass(frozen=True)
class Inputs:
    """What one evaluation reads: the bundle, and optionally its baseline, pack, trust store
    and waivers."""

    evidence: Path
    policies: Path = DEFAULT_POLICIES
    baseline: Path | None = None
    trust: Path | None = None
    waivers: Path | None = None
    ledger: str | None = None  # where after: and prior-phase look (None: the default ledger)


@dataclass(frozen=True)
class ReportRequest:
    format: str
    path: Path


@dataclass(frozen=True)
class Outputs:
    """Where a result goes besides the terminal: reports (PDFs signed with ``identity``), the
    Markdown step summary of a CI job, and the decision ledger."""

    reports: list[ReportRequest] = field(default_factory=list)
    identity: Identity | None = None
    step_summary: Path | None = None
    ledger: str | None = None
    ledger_key: Ed25519PrivateKey | None = None  # signs the ledger row
    pack_root: Path | None = None  # where the pack was: SARIF locations
    trust: Path | None = None  # the trust store's folder: whose ledger rows the history draws
    sarif_root: Path | None = None  # SARIF locations are relative to this folder
    progress: Callable[[str], None] | None = None  # told what is being written, for a spinner


@dataclass(frozen=True)
class Published:
    reports: list[Path]
    entry: Entry | None


def parse_reports(specs: tuple[str, ...]) -> list[ReportRequest]:
    """``FORMAT=PATH`` strings, checked before any work is done."""
    if not specs:
        return []
    from p0gate.formats import FORMATS, formatter_for  # lazily: evaluate without reports

    requests = []
    for spec in specs:
        name, sep, path = spec.partition("=")
        if not sep or not path:
            raise UsageError(f"--report {spec!r}: write FORMAT=PATH, e.g. json=reports/r.json")
        if formatter_for(name) is None:
            known = ", ".join(f.name for f in FORMATS)
            raise UsageError(f"--report {spec!r}: unknown format {name!r} (known: {known})")
        requests.append(ReportRequest(name, Path(path)))
    return requests


def parse_now(value: str, option: str = "--now") -> datetime:
    """An ISO 8601 time with a timezone, as ``--now`` (or ``option``) takes it, as the UTC
    instant it names."""
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{option} {value!r} is not ISO 8601 (e.g. 2025-09-21T00:00:00Z)") \
            from None
    if when.tzinfo is None:
        raise UsageError(f"{option} {value!r} has no timezone: append Z or +00:00")
    return when.astimezone(UTC)  # an instant: the same in any offset it is written in


def parse_duration(value: str) -> timedelta:
    """``30s``, ``15m``, ``2h`` or ``1d``, as ``--max-age`` takes it."""
    units = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
    number, unit = value.strip()[:-1], value.strip()[-1:]
    try:
        amount = float(number)
    except ValueError:
        amount = -1.0
    if unit not in units or not amount > 0:
        raise UsageError(f"{value!r} is not a duration: write 30s, 15m, 2h or 1d")
    return timedelta(**{units[unit]: amount})


def choose_gate(pack: Pack, requested: str | None, bundle: Bundle, mode: Mode) -> str:
    """The gate asked for; else, with declared gates, the one monitoring watches (monitor
    mode); else, in the simple form, the gate named like the bundle's phase."""
    if requested is not None:
        return requested
    meta, lifecycle = bundle.metadata, pack.lifecycle
    if lifecycle.declared and mode == "monitor":
        watched = lifecycle.monitored(meta.phase, meta.rollout_percent)
        if watched is not None:
            return watched.name
    elif not lifecycle.declared and meta.phase in lifecycle.names:
        return str(meta.phase)
    raise UsageError(f"--gate is required: no gate of the pack is implied by the bundle's "
                     f"metadata.phase ({meta.phase or 'absent'}); gates: "
                     f"{', '.join(lifecycle.names)}")


@contextmanager
def opened(inputs: Inputs, progress: ProgressHook | None) -> Iterator[tuple[Bundle, Bundle | None]]:
    with ExitStack() as stack:
        bundle = stack.enter_context(open_bundle(inputs.evidence, progress=progress))
        base = stack.enter_context(open_bundle(inputs.baseline)) if inputs.baseline else None
        yield bundle, base


def evaluate_paths(inputs: Inputs, *, gate: str | None, now: datetime,
                   progress: ProgressHook | None = None, cache: Path | None = None,
                   mode: Mode = "evaluate", max_age: timedelta | None = None,
                   ledger: LedgerHead | None = None) -> Result:
    """Open the bundles, read their artifacts in the background while the pack (and the
    waivers) load, and evaluate at ``gate`` (or monitor it). ``cache`` is where derived data
    may be kept; ``ledger`` is the ledger head the result records. Monitoring that cannot
    vouch for a trigger (missing or older than ``max_age`` evidence) is invalid input unless
    a trigger fired."""
    with opened(inputs, progress) as (bundle, base), EvidenceStore() as store:
        store.prefetch(bundle)  # the imports below and the pack load overlap with reading
        from p0gate.evaluate import evaluate
        from p0gate.policy import load_pack

        pack = load_pack(inputs.policies, trust=inputs.trust, cache=cache)
        waivers = None
        if inputs.waivers is not None:
            from p0gate.waivers import load_waivers

            waivers = load_waivers(inputs.waivers, pack)
        chosen = choose_gate(pack, gate, bundle, mode)
        past = _history(pack, chosen, bundle, store, inputs, mode)
        result = evaluate(pack, bundle, gate=chosen, now=now, baseline=base, waivers=waivers,
                          store=store, history=past, mode=mode, ledger=ledger)
    return _monitored(pack, result, now=now, max_age=max_age) if mode == "monitor" else result


def _history(pack: Pack, gate: str, bundle: Bundle, store: EvidenceStore,
             inputs: Inputs, mode: Mode) -> History | None:
    """The release's earlier decisions, when the gate's ``after:`` (at a gate) or a check
    that runs needs them; monitoring reads no ledger otherwise."""
    declared = pack.lifecycle.find(gate)
    needed = mode == "evaluate" and declared is not None and declared.after is not None
    watched = [item.control for item in pack.controls if gate in item.control.gate_names
               and (mode == "evaluate" or item.control.rollback_trigger)]
    needed = needed or any(control.check_for(gate).gates() for control in watched)
    if not needed:
        return None
    from p0gate.ledger import DEFAULT_URL
    from p0gate.prior import history, trust_of

    return history(bundle, store, ledger=inputs.ledger or DEFAULT_URL,
                   trust=trust_of(pack, inputs.trust))


def _monitored(pack: Pack, result: Result, *, now: datetime,
               max_age: timedelta | None) -> Result:
    """The monitor result, recording ``max_age`` (so a re-evaluation applies the same), with
    what it could not vouch for; without a fired trigger that is ``UnvouchedError``."""
    from p0gate.evaluate import monitor_gaps
    from p0gate.outcome import Decision

    if max_age is not None:
        result = result.model_copy(update={"max_age_seconds": max_age.total_seconds()})
    gaps = monitor_gaps(pack, result, now=now, max_age=max_age)
    if not gaps:
        return result.sealed()
    if result.decision is not Decision.ROLLBACK:
        raise UnvouchedError("monitoring cannot vouch for every rollback trigger: "
                             + "; ".join(gaps), hint="collect the missing or stale evidence "
                             "and monitor again; an OK needs every trigger evaluated")
    noted = [*result.warnings, *(f"not monitored: {gap}" for gap in gaps)]
    return result.model_copy(update={"warnings": noted}).sealed()


def stored_result(path: Path) -> Result:
    """A result JSON written earlier: its digest checked, and its decision, counts and flags
    re-derived from its own controls (a result that disagrees with itself is invalid input:
    recomputing a digest is easy, so the digest alone proves nothing)."""
    from p0gate.result import load_result
    from p0gate.signing import consistent

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the result ({exc.strerror})") from None
    return consistent(load_result(raw, name=str(path)), name=str(path))


def publish(result: Result, outputs: Outputs, *, recorded_at: datetime) -> Published:
    """Write the reports and the step summary, then record the decision in the ledger.
    ``recorded_at`` is the clock's time: the ledger row's, and a PDF signature's."""
    from p0gate.formats.base import ReportContext

    drawn = {"html", "pdf"} & {r.format for r in outputs.reports}
    history: tuple[HistoryPoint, ...] = ()
    if outputs.ledger and drawn:
        from p0gate.prior import read_history

        history = read_history(result, outputs.ledger, trust=outputs.trust, at=recorded_at)
    context = ReportContext(history=history, pack_root=outputs.pack_root,
                            sarif_root=outputs.sarif_root)
    written = write_reports(result, outputs.reports, identity=outputs.identity,
                            context=context, at=recorded_at, progress=outputs.progress)
    if outputs.step_summary is not None:
        _append_step_summary(result, outputs.step_summary)
    entry = None
    if outputs.ledger:
        entry = _record(result, outputs.ledger, recorded_at, outputs.ledger_key)
    return Published(written, entry)


def write_reports(result: Result, requests: list[ReportRequest], *,
                  identity: Identity | None = None, context: ReportContext | None = None,
                  at: datetime | None = None,
                  progress: Callable[[str], None] | None = None) -> list[Path]:
    """Write each report; PDF reports are signed at ``at`` when an ``identity`` is given."""
    if not requests:
        return []
    from datetime import UTC

    from p0gate.formats import formatter_for
    from p0gate.formats.base import PLAIN

    written = []
    for request in requests:
        formatter = formatter_for(request.format)
        assert formatter is not None  # parse_reports checked it
        signing = identity is not None and request.format == "pdf"
        if progress is not None:
            progress(f"{'signing' if signing else 'writing'} {request.format} report "
                     f"{request.path}")
        if signing:
            from p0gate.signing import sign_report

            assert identity is not None
            data = sign_report(result, identity, context or PLAIN, at=at or datetime.now(UTC))
        else:
            data = formatter.render(result, context or PLAIN)
        save(request.path, data, f"{request.format} report")
        written.append(request.path)
    return written


def save(path: Path, data: bytes, what: str) -> None:
    """Write ``data`` to ``path`` (creating its folder); an ``OutputError`` if that fails."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise OutputError(f"cannot write {what} to {path}: {exc.strerror}") from None


def _append_step_summary(result: Result, target: Path) -> None:
    """Append the Markdown summary to a CI job's step summary file."""
    from p0gate.formats.markdown import MarkdownFormatter

    try:
        with target.open("ab") as summary:
            summary.write(MarkdownFormatter().render(result))
    except OSError as exc:
        raise OutputError(f"cannot write $GITHUB_STEP_SUMMARY ({target}): {exc.strerror}") \
            from None


def _record(result: Result, url: str, recorded_at: datetime,
            key: Ed25519PrivateKey | None) -> Entry:
    from contextlib import closing

    from p0gate.ledger import Ledger

    with closing(Ledger.open(url)) as book:
        return book.append(result, recorded_at=recorded_at, key=key)


def ledger_head(url: str | None) -> LedgerHead | None:
    """The head of the ledger the decision will be recorded in, for the result to record;
    None without a ledger, or when it cannot be read now (the append after the reports are
    written then fails with an output error, exit 4)."""
    if not url:
        return None
    from p0gate.errors import P0gateError
    from p0gate.ledger import head

    try:
        return head(url)
    except P0gateError:
        return None
