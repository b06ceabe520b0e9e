"""The release's earlier decisions, from the places that can be trusted (design §1a, §3).

``history`` gathers, for the evaluated bundle's system and version, the rows of the decision
ledger (read through ``Ledger.decisions``: only when the whole ledger verifies, and when the
trust store names a signer with the role ``ledger``, only when every row is signed by one of
them, design §7) and the bundle's ``prior-result`` artifacts that are signed PDF reports
whose signature covers the whole file and chains to a report signer of the trust store, and
whose result agrees with its own controls. A result JSON, an unsigned or untrusted PDF, or an
unreadable one is not counted; the history notes why, so a NO-GO can say what was missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from p0gate.errors import EvidenceError, InputError
from p0gate.history import History, PriorDecision

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from p0gate.checks.trust import Trust
    from p0gate.evidence.bundle import Artifact, Bundle
    from p0gate.evidence.store import EvidenceStore
    from p0gate.formats.base import HistoryPoint
    from p0gate.ledger import Entry, Problem
    from p0gate.policy import Pack
    from p0gate.result import Result


def history(bundle: Bundle, store: EvidenceStore, *, ledger: str | None, trust: Trust | None,
            seeded: Iterable[PriorDecision] = ()) -> History:
    """The decisions about ``bundle``'s release from ``ledger`` (a URL; None: none), its
    verified prior reports and ``seeded`` ones (a pack test's ledger)."""
    decisions, notes = list(seeded), list[str]()
    if ledger is not None:
        rows, problem = ledger_decisions(ledger, ledger_signers(trust))
        decisions.extend(rows)
        notes.extend([problem] if problem else [])
    for artifact in bundle.of_kind("prior-result"):
        found, why = _report(bundle, store, artifact, trust)
        decisions.extend([found] if found else [])
        notes.extend([why] if why else [])
    return History(tuple(decisions), tuple(notes))


def trust_of(pack: Pack, trust_dir: Path | None) -> Trust | None:
    """The trust store the pack loaded, else the one in ``trust_dir`` (default: the pack's
    ``trust/``) when it exists: signed prior reports are checked against its report signers."""
    if pack.files.trust_store is not None:
        return pack.files.trust_store
    from p0gate.checks.trust import TRUST_FILE, load_trust

    folder = trust_dir if trust_dir is not None else pack.root / "trust"
    return load_trust(folder) if (folder / TRUST_FILE).is_file() else None


def ledger_signers(trust: Trust | None) -> dict[str, Ed25519PublicKey]:
    """The keys whose ledger rows count (empty: the trust store names no ledger signer)."""
    from p0gate.checks.trust import LEDGER_ROLE

    return trust.signers_for(LEDGER_ROLE) if trust is not None else {}


def ledger_decisions(url: str, signers: Mapping[str, Ed25519PublicKey] | None = None
                     ) -> tuple[list[PriorDecision], str | None]:
    """Every decision of the ledger at ``url``, or none and why, when it does not verify."""
    entries, problem = read_ledger(url, signers)
    if problem is not None:
        return [], problem
    return [decision_of(entry) for entry in entries], None


def read_ledger(url: str, signers: Mapping[str, Ed25519PublicKey] | None = None
                ) -> tuple[list[Entry], str | None]:
    """The ledger's verified rows (``Ledger.decisions``; with ``signers``, only rows signed
    by one of them count), or none and the first problem (the hash chain broken, a row
    unsigned or signed by another key). A SQLite ledger that does not exist yet holds no
    rows, and reading it does not create it."""
    from p0gate.ledger import Ledger, TamperedLedgerError, parse_url

    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite" and not _exists(parsed.database):
        return [], None
    with closing(Ledger.open(url)) as book:
        try:
            return book.decisions(signers=signers), None
        except TamperedLedgerError as exc:
            return [], _broken(exc.problems, signers)


def _broken(problems: list[Problem], signers: Mapping[str, object] | None) -> str:
    first = str(problems[0])
    if signers and any("signed" in p.message or "signature" in p.message for p in problems):
        return f"the ledger's rows are not all signed by a ledger key of the trust store ({first})"
    return f"the ledger's hash chain is broken ({first})"


def _exists(database: str | None) -> bool:
    return bool(database) and database != ":memory:" and Path(str(database)).is_file()


def decision_of(entry: Entry) -> PriorDecision:
    return PriorDecision(system=entry.system, version=entry.version, gate=entry.gate,
                         decision=entry.decision, evaluated_at=_time(entry.evaluated_at),
                         source=f"ledger row {entry.seq}", digest=entry.result_digest)


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _report(bundle: Bundle, store: EvidenceStore, artifact: Artifact,
            trust: Trust | None) -> tuple[PriorDecision | None, str | None]:
    """The decision a prior-result artifact proves, or why it proves nothing."""
    from p0gate.evidence.prior_result import PriorReport

    name = f"prior-result {artifact.id}"
    try:
        report = store.read(bundle, artifact)
    except EvidenceError as exc:
        return None, f"{name}: {exc.message}"
    assert isinstance(report, PriorReport)
    if report.pdf is None:
        return None, (f"{name} is a result JSON, which proves nothing on its own (give the "
                      "signed PDF report, or use the ledger)")
    signer, why = _trusted_signer(report.pdf, trust)
    if signer is None:
        return None, f"{name}: {why}"
    from p0gate.gate import contradictions

    found = contradictions(report.result)
    if found:
        return None, f"{name}: its result disagrees with its own controls ({found[0]})"
    return _decision(report.result, f"signed report {artifact.path} ({signer})"), None


def _trusted_signer(pdf: bytes, trust: Trust | None) -> tuple[str | None, str]:
    """The signer's name when the PDF's signature covers it whole and chains to a report
    signer of the trust store; otherwise None and why not."""
    from p0gate.signature import check_signature

    if trust is None or not trust.report_anchors:
        return None, "no report signer in the trust store to check its signature against"
    try:
        checks = [check_signature(pdf, trust_cert=anchor) for anchor in trust.report_anchors]
    except InputError as exc:
        return None, exc.message
    good = next((c for c in checks if c.ok and c.trusted), None)
    if good is None:
        why = checks[0].summary or (checks[0].problems() or ["unsigned"])[0]
        return None, f"its signature is not valid or not trusted ({why})"
    return good.signer, ""


def _decision(result: Result, source: str) -> PriorDecision:
    meta = result.bundle.metadata
    return PriorDecision(system=str(meta.get("system") or ""),
                         version=str(meta.get("version") or ""), gate=result.gate,
                         decision=str(result.decision),
                         evaluated_at=_time(result.evaluated_at), source=source,
                         digest=result.digest)


def read_history(result: Result, url: str, *, trust: Path | None,
                 at: datetime | None = None) -> tuple[HistoryPoint, ...]:
    """The ledger's decisions for this result's system, read as ``after:`` reads them (the
    hash chain verified, and only rows signed by a ledger key of the result's trust store
    when it names one); this result is marked current, and added (recorded ``at``, default
    now) when the ledger does not hold it yet. A ledger that does not verify draws nothing:
    invalid input."""
    from p0gate.formats.base import HistoryPoint

    entries, problem = read_ledger(url, _history_signers(result, trust))
    if problem is not None:
        raise InputError(f"the ledger does not verify, no decision history is drawn from it: "
                         f"{problem}",
                         hint="`p0gate ledger verify` lists every problem")
    system = str(result.bundle.metadata.get("system"))
    points = [HistoryPoint(e.recorded_at, e.gate, e.decision, e.version,
                           current=e.result_digest == result.digest)
              for e in entries if e.system == system]
    if any(p.current for p in points):
        return tuple(points)
    now = (at or datetime.now(UTC)).isoformat(timespec="seconds").replace("+00:00", "Z")
    return (*points, HistoryPoint(now, result.gate, result.decision,
                                  str(result.bundle.metadata.get("version")), current=True))


def _history_signers(result: Result, folder: Path | None) -> dict[str, Ed25519PublicKey]:
    """The ledger keys of the trust store the result was evaluated with (none: the result
    names no trust store). The store in ``folder`` must be that very one (same digest)."""
    if result.pack.trust is None:
        return {}
    from p0gate.checks.trust import TRUST_FILE, load_trust

    trust = load_trust(folder) if folder is not None and (folder / TRUST_FILE).is_file() \
        else None
    if trust is None or trust.digest() != result.pack.trust:
        raise InputError(
            f"the decision history is drawn only with the trust store the result was checked "
            f"against (digest {result.pack.trust[:12]}…), and {folder or 'no folder'} does "
            "not hold it", hint="give the pack the result came from (--policies) or its --trust")
    return ledger_signers(trust)
