"""Deterministic generators of example and fixture evidence bundles.

Each domain module exposes ``artifacts(spec) -> list[Art]``; ``make_examples.py`` lists the
modules and writes every bundle (files, manifest, sha256). A ``Spec`` says which gate will
judge the bundle (so each module writes what that gate reads, design section 1a) and
``spec.bad(topic)`` whether the controls of ``topic`` should fail. Sign-offs are made last,
over the evidence digest p0gate computes for the written bundle.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import yaml

ALL = "*"
SYSTEM = "p0-cloud-sync"
# The default pack's gates in rollout order, and the phase of evidence each one judges.
ORDER = ("beta", "staging", "production-25", "production-50", "production-75",
         "production-100", "complete")
EVIDENCE = {"beta": ("pre-release", None), "staging": ("beta", None),
            "production-25": ("staging", None), "production-50": ("production", 25),
            "production-75": ("production", 50), "production-100": ("production", 75),
            "complete": ("production", 100), "post-rollback": ("production", None)}


def since(gate: str) -> tuple[str, ...]:
    """``gate`` and every later gate of the rollout (not post-rollback)."""
    return ORDER[ORDER.index(gate):]


@dataclass(frozen=True)
class Spec:
    """One bundle to generate: the gate that judges it, or a monitoring bundle."""

    name: str
    gate: str  # the gate that will judge this evidence (or be monitored)
    version: str
    collected_at: datetime
    failing: frozenset[str] = frozenset()  # topics whose controls must fail; ALL for every one
    seed: int = 7
    monitor: bool = False  # a small monitoring bundle: only what the rollback triggers read
    crisis_samples: int = 4_000
    extra: dict[str, str] = field(default_factory=dict)  # topic switches, e.g. {"spike": "243"}

    @property
    def phase(self) -> str:
        return EVIDENCE[self.gate][0]

    @property
    def rollout_percent(self) -> int | None:
        return EVIDENCE[self.gate][1]

    def bad(self, topic: str) -> bool:
        return ALL in self.failing or topic in self.failing

    def at(self, hours_before: float) -> datetime:
        return self.collected_at - timedelta(hours=hours_before)

    def judged_at(self, *gates: str) -> bool:
        return self.gate in gates


@dataclass(frozen=True)
class Art:
    id: str
    kind: str
    path: str
    content: bytes
    collected_at: datetime
    source: str


def stamp(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def write_bundle(root: Path, spec: Spec, arts: list[Art]) -> None:
    """Write files and a sealed manifest.yaml; the folder is replaced whole."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    entries = []
    for art in sorted(arts, key=lambda a: a.id):
        target = root / art.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(art.content)
        entries.append({
            "id": art.id, "kind": art.kind, "path": art.path,
            "sha256": hashlib.sha256(art.content).hexdigest(), "size": len(art.content),
            "collected_at": stamp(art.collected_at), "source": art.source,
        })
    metadata: dict[str, object] = {"system": SYSTEM, "version": spec.version,
                                   "commit": hashlib.sha1(spec.version.encode()).hexdigest()[:7],
                                   "phase": spec.phase}
    if spec.rollout_percent is not None:
        metadata["rollout_percent"] = spec.rollout_percent
    metadata["collected_at"] = stamp(spec.collected_at)
    manifest = {"apiVersion": "p0gate/v1", "kind": "EvidenceBundle", "metadata": metadata,
                "artifacts": entries}
    (root / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False, width=100))
