"""Pure orchestration: controls × checks → control results → the gate's result.

At a gate (``mode="evaluate"``) every control that lists the gate runs, waivers apply, the
gate's ``after:`` is looked up in the release's history, and the decision is GO or NO-GO.
In monitor mode only the rollback triggers and the alert-bearing controls of the gate run,
and the decision is OK or ROLLBACK. Evidence of another phase than the gate judges is
invalid input.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from p0gate import gate as rules
from p0gate.checks.base import CheckContext, CheckParams
from p0gate.checks.samples import asks_of, with_figures
from p0gate.checks.signoff import bundle_signoffs
from p0gate.documents import API_VERSION
from p0gate.errors import EvidenceError, InputError, Location
from p0gate.evidence.bundle import Bundle
from p0gate.evidence.store import EvidenceStore
from p0gate.outcome import CheckResult, Decision, Outcome
from p0gate.policy import Pack, PackControl
from p0gate.result import (
    AfterOut,
    AuthorityOut,
    BundleInfo,
    ControlResult,
    EscalationOut,
    EvidenceRef,
    PackInfo,
    ReferenceOut,
    Result,
    Waivers,
)

if TYPE_CHECKING:
    from p0gate.history import History
    from p0gate.lifecycle import GateDecl
    from p0gate.result import LedgerHead
    from p0gate.waivers import WaiverSet

Mode = Literal["evaluate", "monitor"]


def evaluate(pack: Pack, bundle: Bundle, *, gate: str, now: datetime,
             baseline: Bundle | None = None, waivers: WaiverSet | None = None,
             store: EvidenceStore | None = None, history: History | None = None,
             mode: Mode = "evaluate", ledger: LedgerHead | None = None) -> Result:
    """Evaluate ``pack`` against ``bundle`` at ``gate`` (or monitor it, ``mode="monitor"``).

    Artifacts are read through ``store`` (a fresh one when none is given), so a runner that
    prefetched them, or a pack test that evaluates one bundle many times, reads each once.
    ``history`` holds the release's earlier decisions, for ``after:`` and ``prior-phase``;
    ``ledger`` is the decision ledger's head, recorded in the result."""
    declared = judged_gate(pack, bundle, gate)
    asks = with_figures(asks_of(item.control.check_for(gate) for item in pack.controls
                                if gate in item.control.gate_names))
    with nullcontext(store) if store is not None else EvidenceStore() as evidence:
        context = partial(CheckContext, store=evidence, bundle=bundle, baseline=baseline,
                          files=pack.files, now=now, history=history, asks=asks)
        controls = [_control(item, context(), pack=pack, gate=gate, mode=mode)
                    for item in pack.controls]
        signoffs = bundle_signoffs(context())
    record, notes = Waivers(), list[str]()
    if waivers is not None and mode == "evaluate":
        from p0gate.waivers import apply

        applied = apply(controls, waivers, pack=pack, gate=gate, now=now)
        controls, record, notes = applied.controls, applied.waivers, applied.warnings
    after = _after(declared, bundle, now, history) if mode == "evaluate" else None
    decision = (rules.monitor(controls) if mode == "monitor"
                else rules.decide(controls, after_met=after is None or after.met))
    return Result(
        apiVersion=API_VERSION, evaluated_at=_instant(now), mode=mode,
        gate=gate, rollout_percent=bundle.metadata.rollout_percent, pack=pack_info(pack),
        bundle=bundle_info(bundle), baseline=bundle_info(baseline) if baseline else None,
        decision=decision, rollback=any(c.rollback for c in controls), after=after,
        escalation=_escalation(pack) if decision is Decision.ROLLBACK else [],
        counts={o.value: sum(c.outcome is o for c in controls) for o in Outcome},
        warnings=rules.warnings(controls) + notes, waivers=record, controls=controls,
        signoffs=signoffs,
        ledger=ledger,
    ).sealed()


def _instant(now: datetime) -> str:
    """``now`` as the UTC instant it names (the same instant in any offset: the same text)."""
    return now.astimezone(UTC).isoformat().replace("+00:00", "Z")


def judged_gate(pack: Pack, bundle: Bundle, gate: str) -> GateDecl:
    """The declared gate, once the bundle holds the evidence it judges (invalid input if not)."""
    declared = pack.gate(gate)
    meta = bundle.metadata
    why = pack.lifecycle.accepts(declared, meta.phase, meta.rollout_percent)
    if why is not None:
        fitting = [g.name for g in pack.lifecycle.gates
                   if pack.lifecycle.accepts(g, meta.phase, meta.rollout_percent) is None]
        hint = (f"evaluate it at {' or '.join(fitting)}" if fitting else
                "collect the evidence of the phase this gate judges")
        field = "metadata.phase" if meta.phase != declared.evidence else "metadata.rollout_percent"
        raise InputError(why, location=Location(bundle.root / "manifest.yaml", field=field),
                         hint=hint)
    return declared


def pack_info(pack: Pack) -> PackInfo:
    return PackInfo(name=pack.name, digest=pack.digest, trust=_trust_digest(pack), authorities=[
        AuthorityOut(id=a.id, title=a.title, role=a.role,
                     emergency_rollback=a.emergency_rollback) for a in pack.authorities])


def _trust_digest(pack: Pack) -> str | None:
    store = pack.files.trust_store
    return store.digest() if store is not None else None


def bundle_info(bundle: Bundle) -> BundleInfo:
    meta = bundle.metadata.model_dump(mode="json")
    return BundleInfo(metadata=meta, digest=bundle.manifest_sha256,
                      evidence_digest=bundle.evidence_digest())


def _after(declared: GateDecl, bundle: Bundle, now: datetime,
           history: History | None) -> AfterOut | None:
    after = declared.after
    if after is None:
        return None
    if history is None:
        return AfterOut(gate=after.gate, min_days=after.min_days, met=False,
                        message="no decision ledger or signed prior result was consulted")
    meta = bundle.metadata
    found = history.passed(system=meta.system, version=meta.version, gate=after.gate, now=now,
                           min_days=after.min_days)
    return AfterOut(gate=after.gate, min_days=after.min_days, met=found.met,
                    message=found.message,
                    source=found.decision.source if found.decision else None)


def monitor_gaps(pack: Pack, result: Result, *, now: datetime,
                 max_age: timedelta | None) -> list[str]:
    """Why a monitor result cannot vouch for a trigger: it was not evaluated (nothing to
    read, no baseline) or read evidence older than ``max_age``, or dated after ``now``
    (which would never go stale). Monitor never says OK then."""
    gaps = []
    for control in result.controls:
        item = pack.find(control.id)
        if item is None or not item.control.rollback_trigger \
                or control.outcome is Outcome.NOT_APPLICABLE:
            continue
        if control.outcome is Outcome.INCONCLUSIVE:
            gaps.append(f"trigger {control.id} was not evaluated: {control.message}")
        for ref in control.evidence:
            collected = datetime.fromisoformat(str(ref.collected_at).replace("Z", "+00:00"))
            if collected > now:
                gaps.append(f"trigger {control.id} reads {ref.id}, collected "
                            f"{ref.collected_at}, after the monitoring time "
                            f"{_instant(now)}")
            elif max_age is not None and now - collected > max_age:
                gaps.append(f"trigger {control.id} reads {ref.id}, collected "
                            f"{ref.collected_at}, more than {max_age} before {result.evaluated_at}")
    return gaps


def _escalation(pack: Pack) -> list[EscalationOut]:
    return [EscalationOut(to=step.to, when=step.when) for step in pack.escalation]


def _runs(item: PackControl, gate: str, mode: Mode) -> str | None:
    """Why the control does not run here (None when it does)."""
    control = item.control
    if gate not in control.gate_names:
        return f"does not apply to the {gate} gate"
    if mode == "monitor" and not (control.rollback_trigger or control.check_for(gate).alerting()):
        return "neither a rollback trigger nor alerting: not watched in monitor mode"
    return None


def _control(item: PackControl, ctx: CheckContext, *, pack: Pack, gate: str,
             mode: Mode) -> ControlResult:
    control = item.control
    skipped = _runs(item, gate, mode)
    check = control.check_for(gate) if skipped is None else None
    if check is None:
        found = CheckResult(Outcome.NOT_APPLICABLE, skipped or "")
    else:
        try:
            found = check.run(ctx)
            for artifact in ctx.used:  # whatever the check read, its evidence must verify
                ctx.verify(artifact)
        except EvidenceError as exc:
            found = CheckResult(Outcome.ERROR, str(exc))
    return ControlResult(
        id=control.id, title=control.title, authority=item.authority,
        severity=control.severity, blocking=control.blocking, waivable=control.is_waivable,
        outcome=found.outcome, measured=found.measured, required=found.required,
        alert_level=found.alert_level,
        rollback=rules.is_rollback(emergency_rollback=pack.emergency_rollback(item.authority),
                                   alert=found.alert_level, outcome=found.outcome,
                                   trigger=control.rollback_trigger),
        message=found.message, evidence=_evidence(ctx),
        references=[ReferenceOut(framework=r.framework, id=r.id) for r in control.references],
        remediation=control.remediation, source=_source(item, pack.root),
        **(_typed(check, ctx, found) if check is not None else {}),
    )


def _typed(check: CheckParams, ctx: CheckContext, found: CheckResult) -> dict[str, object]:
    """The units, typed bounds and figure of what a check found (for reports)."""
    units = check.units_for(found)
    figure = None
    if found.outcome is not Outcome.ERROR and found.measured:
        try:
            figure = check.figure(ctx, found)
        except EvidenceError:  # read once already: only a failed re-read lands here
            figure = None
    return {"units": units, "bounds": check.bounds(found), "figure": figure}


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
