"""Deterministic generators of example and fixture evidence bundles.

Each domain module exposes ``artifacts(spec) -> list[Art]``; ``make_examples.py`` lists the
modules and writes every bundle (files, manifest, sha256). ``spec.bad(topic)`` tells a module
whether this bundle should make the controls of ``topic`` fail.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import yaml

ALL = "*"


@dataclass(frozen=True)
class Spec:
    """One bundle to generate."""

    name: str
    phase: str  # pre-release | beta | staging | production
    version: str
    collected_at: datetime
    failing: frozenset[str] = frozenset()  # topics whose controls must fail; ALL for every one
    seed: int = 7
    rollout_percent: int | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def bad(self, topic: str) -> bool:
        return ALL in self.failing or topic in self.failing

    def at(self, hours_before: float) -> datetime:
        return self.collected_at - timedelta(hours=hours_before)


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
    for art in arts:
        target = root / art.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(art.content)
    text = yaml.safe_dump(manifest(spec, arts), sort_keys=False, width=100)
    (root / "manifest.yaml").write_text(text)


def manifest(spec: Spec, arts: list[Art]) -> dict[str, object]:
    """The sealed manifest of the bundle these artifacts make, as plain data."""
    entries = [{
        "id": art.id, "kind": art.kind, "path": art.path,
        "sha256": hashlib.sha256(art.content).hexdigest(), "size": len(art.content),
        "collected_at": stamp(art.collected_at), "source": art.source,
    } for art in sorted(arts, key=lambda a: a.id)]
    metadata: dict[str, object] = {"system": "p0-cloud-sync", "version": spec.version,
                                   "commit": hashlib.sha1(spec.version.encode()).hexdigest()[:7],
                                   "phase": spec.phase}
    if spec.rollout_percent is not None:
        metadata["rollout_percent"] = spec.rollout_percent
    metadata["collected_at"] = stamp(spec.collected_at)
    return {"apiVersion": "p0gate/v1", "kind": "EvidenceBundle", "metadata": metadata,
            "artifacts": entries}
