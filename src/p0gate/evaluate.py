"""Pure orchestration: controls × checks → control results → the gate's result."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from p0gate import gate
from p0gate.checks.base import CheckContext
from p0gate.checks.samples import asks_of
from p0gate.documents import API_VERSION
from p0gate.errors import EvidenceError
from p0gate.evidence.bundle import Bundle
from p0gate.evidence.store import EvidenceStore
from p0gate.outcome import CheckResult, Outcome, Phase
from p0gate.policy import Pack, PackControl
from p0gate.result import (
    BundleInfo,
    ControlResult,
    EvidenceRef,
    PackInfo,
    ReferenceOut,
    Result,
    Waivers,
)

if TYPE_CHECKING:
    from p0gate.result import LedgerHead
    from p0gate.waivers import WaiverSet


def evaluate(pack: Pack, bundle: Bundle, *, phase: Phase, now: datetime,
             baseline: Bundle | None = None, waivers: WaiverSet | None = None,
             store: EvidenceStore | None = None, ledger: LedgerHead | None = None) -> Result:
    """Evaluate every control of ``pack`` against ``bundle`` for the gate of ``phase``.

    Artifacts are read through ``store`` (a fresh one when none is given), so a runner that
    prefetched them, or a pack test that evaluates one bundle many times, reads each once.
    ``ledger`` is the decision ledger's head, recorded in the result."""
    asks = asks_of(c.control.check_for(phase) for c in pack.controls
                   if phase in c.control.phases)
    with nullcontext(store) if store is not None else EvidenceStore() as evidence:
        controls = [_control(item, CheckContext(
            store=evidence, bundle=bundle, baseline=baseline, files=pack.files, now=now,
            asks=asks), phase=phase, root=pack.root) for item in pack.controls]
    record, notes = Waivers(), list[str]()
    if waivers is not None:
        from p0gate.waivers import apply

        applied = apply(controls, waivers, pack=pack, phase=phase, now=now)
        controls, record, notes = applied.controls, applied.waivers, applied.warnings
    counts = {o.value: sum(c.outcome is o for c in controls) for o in Outcome}
    result = Result(
        apiVersion=API_VERSION,
        evaluated_at=now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        phase=phase,
        rollout_percent=bundle.metadata.rollout_percent,
        pack=PackInfo(name=pack.name, digest=pack.digest, trust=_trust_digest(pack)),
        bundle=bundle_info(bundle),
        baseline=bundle_info(baseline) if baseline else None,
        decision=gate.decide(controls),
        rollback=any(c.rollback for c in controls),
        counts=counts,
        warnings=gate.warnings(controls) + notes,
        waivers=record,
        controls=controls,
        ledger=ledger,
    )
    return result.sealed()


def _trust_digest(pack: Pack) -> str | None:
    store = pack.files.trust_store
    return store.digest() if store is not None else None


def bundle_info(bundle: Bundle) -> BundleInfo:
    meta = bundle.metadata.model_dump(mode="json")
    return BundleInfo(metadata=meta, digest=bundle.manifest_sha256,
                      evidence_digest=bundle.evidence_digest())


def _control(item: PackControl, ctx: CheckContext, *, phase: Phase, root: Path) -> ControlResult:
    control = item.control
    if phase not in control.phases:
        found = CheckResult(Outcome.NOT_APPLICABLE, f"does not apply to the {phase} gate")
    else:
        try:
            found = control.check_for(phase).run(ctx)
            for artifact in ctx.used:  # whatever the check read, its evidence must verify
                ctx.verify(artifact)
        except EvidenceError as exc:
            found = CheckResult(Outcome.ERROR, str(exc))
    return ControlResult(
        id=control.id, title=control.title, authority=item.authority,
        severity=control.severity, blocking=control.blocking, waivable=control.waivable,
        outcome=found.outcome, measured=found.measured, required=found.required,
        alert_level=found.alert_level,
        rollback=gate.is_rollback(authority=item.authority, alert=found.alert_level,
                                  outcome=found.outcome, trigger=control.rollback_trigger),
        message=found.message, evidence=_evidence(ctx),
        references=[ReferenceOut(framework=r.framework, id=r.id) for r in control.references],
        remediation=control.remediation, source=_source(item, root),
    )


def _evidence(ctx: CheckContext) -> list[EvidenceRef]:
    seen: dict[str, EvidenceRef] = {}
    for a in ctx.used:
        seen.setdefault(a.id, EvidenceRef(
            id=a.id, kind=a.kind, path=a.path, sha256=a.sha256, source=a.source,
            collected_at=a.collected_at.isoformat().replace("+00:00", "Z")))
    return list(seen.values())


def _source(item: PackControl, pack_dir: Path) -> str:
    file = Path(item.source.file)
    try:
        rel = file.resolve().relative_to(pack_dir.resolve()).as_posix()
    except ValueError:
        rel = file.name
    return f"{rel}:{item.source.line}" if item.source.line else rel
