"""Small helpers for tests that need a sealed evidence bundle on disk."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml

from p0gate.checks.base import CheckParams, CheckResult
from p0gate.context import CheckContext, EvidenceStore
from p0gate.evidence.bundle import Bundle, load_manifest

NOW = datetime(2025, 10, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class File:
    id: str
    kind: str
    path: str
    data: bytes


def make_bundle(root: Path, files: list[File], *, system: str = "p0-cloud-sync",
                phase: str = "staging") -> Bundle:
    """Write the files and a sealed manifest; return the opened bundle."""
    root.mkdir(parents=True, exist_ok=True)
    entries = []
    for f in files:
        (root / f.path).parent.mkdir(parents=True, exist_ok=True)
        (root / f.path).write_bytes(f.data)
        entries.append({"id": f.id, "kind": f.kind, "path": f.path,
                        "sha256": hashlib.sha256(f.data).hexdigest(),
                        "collected_at": "2025-09-30T12:00:00Z"})
    manifest = {"apiVersion": "p0gate/v1", "kind": "EvidenceBundle",
                "metadata": {"system": system, "version": "1.0.0", "phase": phase,
                             "collected_at": "2025-09-30T12:00:00Z"},
                "artifacts": entries}
    (root / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    manifest_model, digest = load_manifest(root)
    return Bundle(root, manifest_model, digest)


def run_check(check: CheckParams, bundle: Bundle, *, phase: str = "staging",
              trust_dir: Path | None = None, baseline: Bundle | None = None) -> CheckResult:
    ctx = CheckContext(EvidenceStore(bundle, baseline), NOW, phase,  # type: ignore[arg-type]
                       Path("policies"), None, trust_dir)
    return check.run(ctx)
