"""A pack's own tests (``tests/*.yaml``), like ``opa test`` and ``conftest verify``.

Each case names a fixture bundle, a phase and a time, and the outcome it expects per control.
``validate_pack`` also checks that every ``artifact:`` id a control names exists in at least
one fixture bundle, which catches typos in artifact ids before they become ``inconclusive``.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from p0gate.documents import Document, load_located
from p0gate.errors import InputError, Location
from p0gate.evidence.bundle import load_manifest
from p0gate.outcome import Decision, Outcome, Phase
from p0gate.policy import Pack, load_pack
from p0gate.result import ControlResult


class PolicyTest(Document):
    """One fixture case of a pack (``tests/*.yaml``): a bundle, a gate, a time, and the
    outcome each named control must have."""

    kind: Literal["PolicyTest"]
    name: str = Field(min_length=1, description="what the case shows, e.g. latency fails")
    bundle: str = Field(description="fixture bundle folder, relative to this file")
    baseline: str | None = Field(None, description="baseline bundle, relative to this file")
    phase: Phase = Field(description="the gate to evaluate")
    now: Annotated[AwareDatetime, Field(strict=False, description=(
        "the evaluation time, ISO 8601 with a timezone (freshness is judged against it)"))]
    decision: Annotated[Decision, Field(strict=False)] | None = Field(None, description=(
        "optional: the expected decision, GO or NO-GO"))
    expect: dict[str, Annotated[Outcome, Field(strict=False)]] = Field(
        min_length=1, description="control id: expected outcome")


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
        cases.append(LoadedCase(test, path))
    return cases


def validate_pack(root: Path, *, cache: Path | None = None) -> str:
    """Load the pack and its fixture cases; a one-line summary when all is valid."""
    pack = load_pack(root, cache=cache)
    cases = load_cases(pack)
    if cases:
        _check_artifact_ids(pack, cases)
    files = len({c.source.file for c in pack.controls})
    return f"{len(pack.controls)} controls in {files} files, {len(cases)} fixture cases: valid"


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
    from p0gate.evaluate import evaluate
    from p0gate.evidence.bundle import Bundle, open_bundle
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
            result = evaluate(pack, bundle(base / test.bundle), phase=test.phase, now=test.now,
                              baseline=baseline, store=store)
            reports.append(_compare(test, result.controls, result.decision))
    return PackTestReport(reports)


def _compare(test: PolicyTest, controls: list[ControlResult], decision: Decision) -> CaseReport:
    got = {c.id: c for c in controls}
    report = CaseReport(f"{test.name} [{test.phase}]", len(test.expect))
    for control_id, wanted in test.expect.items():
        actual = got[control_id]
        if actual.outcome != wanted:
            report.misses.append(f"{control_id}: expected {wanted.value}, got "
                                 f"{actual.outcome.value}: {actual.message}")
    if test.decision and decision != test.decision:
        report.misses.append(f"decision: expected {test.decision}, got {decision}")
    return report

