"""A pack's own tests (``tests/*.yaml``), like ``opa test`` and ``conftest verify``.

Each case names a fixture bundle, a gate (``phase:`` is the old name), a time and the outcome
it expects per control; optionally the decision (GO/NO-GO, or OK/ROLLBACK with ``mode:
monitor``), waivers, and a ``ledger`` of earlier decisions about the bundle's release that
``after:`` and ``prior-phase`` see. ``validate_pack`` also checks that every ``artifact:`` id a
control names exists in at least one fixture bundle, which catches typos in artifact ids
before they become ``inconclusive``.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AwareDatetime, Field, model_validator

from p0gate.documents import Document, Model, load_located
from p0gate.errors import InputError, Location
from p0gate.evidence.bundle import load_manifest
from p0gate.history import PriorDecision
from p0gate.outcome import NAME, Decision, Outcome
from p0gate.policy import Pack, load_pack
from p0gate.result import Result

if TYPE_CHECKING:
    from p0gate.evidence.bundle import Bundle
    from p0gate.evidence.store import EvidenceStore
    from p0gate.waivers import WaiverSet

Moment = Annotated[AwareDatetime, Field(strict=False)]


class Seeded(Model):
    """An earlier decision about the fixture bundle's system and version."""

    gate: str = Field(pattern=NAME)
    decision: Annotated[Decision, Field(strict=False)]
    evaluated_at: Moment


class PolicyTest(Document):
    """One fixture case of a pack (``tests/*.yaml``): a bundle, a gate, a time, and the
    outcome each named control must have."""

    kind: Literal["PolicyTest"]
    name: str = Field(min_length=1, description="what the case shows, e.g. latency fails")
    bundle: str = Field(description="fixture bundle folder, relative to this file")
    baseline: str | None = Field(None, description="baseline bundle, relative to this file")
    gate: str | None = Field(None, pattern=NAME, description="the gate evaluated (or monitored)")
    phase: str | None = Field(None, pattern=NAME, description="deprecated: the old name of gate")
    mode: Literal["evaluate", "monitor"] = "evaluate"
    now: Moment
    decision: Annotated[Decision, Field(strict=False)] | None = Field(None, description=(
        "optional: the expected decision (GO or NO-GO; monitor: OK or ROLLBACK)"))
    waivers: str | None = Field(None, description="WaiverSet file, relative to this file")
    ledger: list[Seeded] = Field(default_factory=list, description=(
        "earlier decisions about the bundle's release, as the decision ledger would hold them"))
    expect: dict[str, Annotated[Outcome, Field(strict=False)]] = Field(
        min_length=1, description="control id: expected outcome")

    @model_validator(mode="after")
    def _one_gate(self) -> PolicyTest:
        if (self.gate is None) == (self.phase is None):
            raise ValueError("name the gate once, in `gate:`")
        return self

    @property
    def gate_name(self) -> str:
        return str(self.gate or self.phase)


@dataclass(frozen=True)
class LoadedCase:
    test: PolicyTest
    file: Path


@dataclass
class CaseReport:
    name: str
    checked: int
    misses: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.misses


@dataclass
class PackTestReport:
    cases: list[CaseReport]

    @property
    def passed(self) -> int:
        return sum(c.ok for c in self.cases)

    @property
    def failed(self) -> int:
        return len(self.cases) - self.passed


def load_cases(pack: Pack) -> list[LoadedCase]:
    folder = pack.root / "tests"
    if not folder.is_dir():
        return []
    cases = []
    for path in sorted(folder.glob("*.yaml")):
        loaded = load_located(path, PolicyTest)
        test = loaded.document
        for control_id in test.expect:
            if pack.find(control_id) is None:
                raise InputError(f"expects an outcome for unknown control {control_id!r}",
                                 location=loaded.locate(["expect", control_id]))
        if not (path.parent / test.bundle).is_dir():
            raise InputError(f"fixture bundle {test.bundle!r} not found",
                             location=loaded.locate(["bundle"]))
        pack.gate(test.gate_name)  # an unknown gate is invalid input
        cases.append(LoadedCase(test, path))
    return cases


def validate_pack(root: Path, *, cache: Path | None = None) -> tuple[str, tuple[str, ...]]:
    """Load the pack and its fixture cases; a one-line summary when all is valid, and the
    pack's notes (deprecated forms still accepted)."""
    pack = load_pack(root, cache=cache)
    cases = load_cases(pack)
    if cases:
        _check_artifact_ids(pack, cases)
    files = len({c.source.file for c in pack.controls})
    gates = len(pack.lifecycle.gates)
    return (f"{len(pack.controls)} controls in {files} files, {gates} gates, {len(cases)} "
            "fixture cases: valid", pack.notes)


def _check_artifact_ids(pack: Pack, cases: list[LoadedCase]) -> None:
    known: set[str] = set()
    for folder in {(c.file.parent / c.test.bundle).resolve() for c in cases}:
        manifest, _ = load_manifest(folder)
        known.update(a.id for a in manifest.artifacts)
    for item in pack.controls:
        wanted = item.control.check.artifact
        if wanted is not None and wanted not in known:
            raise InputError(f"control {item.control.id} reads artifact {wanted!r}, which no "
                             "fixture bundle in tests/ has", location=item.source,
                             hint="check the id's spelling, or add it to a fixture bundle")


def run_pack_tests(root: Path, *, cache: Path | None = None) -> PackTestReport:
    """Evaluate every case; each fixture bundle is opened, and each artifact read, once."""
    from p0gate.evidence.bundle import open_bundle
    from p0gate.evidence.store import EvidenceStore

    pack = load_pack(root, cache=cache)
    cases = load_cases(pack)
    if not cases:
        raise InputError("the pack has no tests (tests/*.yaml)", location=Location(root / "tests"))
    reports = []
    with ExitStack() as stack:
        opened: dict[Path, Bundle] = {}

        def bundle(path: Path) -> Bundle:
            key = path.resolve()
            if key not in opened:
                opened[key] = stack.enter_context(open_bundle(key))
            return opened[key]

        store = stack.enter_context(EvidenceStore())
        for case in cases:
            test, base = case.test, case.file.parent
            baseline = bundle(base / test.baseline) if test.baseline else None
            result = _run(pack, case, bundle(base / test.bundle), baseline, store)
            reports.append(_compare(test, result, _gaps(pack, test, result)))
    return PackTestReport(reports)


def _run(pack: Pack, case: LoadedCase, bundle: Bundle, baseline: Bundle | None,
         store: EvidenceStore) -> Result:
    from p0gate.evaluate import evaluate
    from p0gate.prior import history, trust_of

    test = case.test
    meta = bundle.metadata
    seeded = [PriorDecision(meta.system, meta.version, s.gate, s.decision.value, s.evaluated_at,
                            f"the case's ledger, item {i + 1}") for i, s in enumerate(test.ledger)]
    past = history(bundle, store, ledger=None, trust=trust_of(pack, None), seeded=seeded)
    return evaluate(pack, bundle, gate=test.gate_name, now=test.now, baseline=baseline,
                    waivers=_waivers(case, pack), store=store, history=past, mode=test.mode)


def _waivers(case: LoadedCase, pack: Pack) -> WaiverSet | None:
    if case.test.waivers is None:
        return None
    from p0gate.waivers import load_waivers

    return load_waivers(case.file.parent / case.test.waivers, pack)


def _gaps(pack: Pack, test: PolicyTest, result: Result) -> list[str]:
    """What would keep `p0gate monitor` from saying OK (monitor cases only)."""
    if test.mode != "monitor" or result.decision is not Decision.OK:
        return []
    from p0gate.evaluate import monitor_gaps

    return [f"monitor would exit 3: {gap}"
            for gap in monitor_gaps(pack, result, now=test.now, max_age=None)]


def _compare(test: PolicyTest, result: Result, gaps: list[str]) -> CaseReport:
    got = {c.id: c for c in result.controls}
    report = CaseReport(f"{test.name} [{test.gate_name}{' monitor' * (test.mode == 'monitor')}]",
                        len(test.expect), list(gaps))
    for control_id, wanted in test.expect.items():
        actual = got[control_id]
        if actual.outcome != wanted:
            report.misses.append(f"{control_id}: expected {wanted.value}, got "
                                 f"{actual.outcome.value}: {actual.message}")
    if test.decision and result.decision != test.decision:
        why = f" (after: {result.after.message})" if result.after and not result.after.met else ""
        report.misses.append(f"decision: expected {test.decision}, got {result.decision}{why}")
    return report
