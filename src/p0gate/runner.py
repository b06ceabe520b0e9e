"""Between the CLI and the engine: open inputs, evaluate, write the requested reports."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

from p0gate.errors import OutputError, UsageError
from p0gate.evidence.bundle import Bundle, ProgressHook, open_bundle
from p0gate.evidence.store import EvidenceStore
from p0gate.outcome import PHASES, Phase

if TYPE_CHECKING:
    from p0gate.result import Result
    from p0gate.signing import Identity


@dataclass(frozen=True)
class ReportRequest:
    format: str
    path: Path


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


def parse_now(value: str | None, default: datetime) -> datetime:
    if value is None:
        return default
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--now {value!r} is not ISO 8601 (e.g. 2025-09-21T00:00:00Z)") \
            from None
    if when.tzinfo is None:
        raise UsageError(f"--now {value!r} has no timezone: append Z or +00:00")
    return when


def choose_phase(requested: str | None, bundle: Bundle) -> Phase:
    if requested is not None:
        return cast(Phase, requested)  # click.Choice checked it
    collected = bundle.metadata.phase
    if collected in PHASES:
        return collected
    raise UsageError("--phase is required: the bundle's metadata.phase "
                     f"({collected or 'absent'}) is not beta, staging or production")


@contextmanager
def opened(evidence: Path, baseline: Path | None,
           progress: ProgressHook | None) -> Iterator[tuple[Bundle, Bundle | None]]:
    with ExitStack() as stack:
        bundle = stack.enter_context(open_bundle(evidence, progress=progress))
        base = stack.enter_context(open_bundle(baseline)) if baseline else None
        yield bundle, base


def evaluate_paths(*, policies: Path, evidence: Path, phase: str | None, now: datetime,
                   baseline: Path | None = None, trust: Path | None = None,
                   progress: ProgressHook | None = None, waivers: Path | None = None) -> Result:
    """Open the bundles, read their artifacts in the background while the pack (and the
    waivers) load, and evaluate."""
    with opened(evidence, baseline, progress) as (bundle, base), EvidenceStore() as store:
        store.prefetch(bundle)
        from p0gate.evaluate import evaluate
        from p0gate.policy import load_pack

        pack = load_pack(policies, trust=trust)
        waiver_set = None
        if waivers is not None:
            from p0gate.waivers import load_waivers

            waiver_set = load_waivers(waivers, pack)
        chosen = choose_phase(phase, bundle)
        return evaluate(pack, bundle, phase=chosen, now=now, baseline=base, waivers=waiver_set,
                        store=store)


def write_reports(result: Result, requests: list[ReportRequest], *,
                  identity: Identity | None = None) -> list[Path]:
    """Write each report; PDF reports are signed when an ``identity`` is given."""
    if not requests:
        return []
    from p0gate.formats import formatter_for

    written = []
    for request in requests:
        formatter = formatter_for(request.format)
        assert formatter is not None  # parse_reports checked it
        if identity is not None and request.format == "pdf":
            from p0gate.signing import sign_report

            data = sign_report(result, identity)
        else:
            data = formatter.render(result)
        try:
            request.path.parent.mkdir(parents=True, exist_ok=True)
            request.path.write_bytes(data)
        except OSError as exc:
            raise OutputError(f"cannot write {request.format} report to {request.path}: "
                              f"{exc.strerror}") from None
        written.append(request.path)
    return written
