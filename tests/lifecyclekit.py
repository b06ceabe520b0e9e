"""Small packs for lifecycle tests: one that declares its gates (another product's names:
canary, ga, rollback-check) and one in the simple form (no pack.yaml)."""

from __future__ import annotations

from pathlib import Path

from p0gate.evidence.bundle import Bundle
from tests.bundlekit import File, make_bundle

SETTINGS = """apiVersion: p0gate/v1
kind: Pack
metadata: {name: shop-release}
authorities:
  - {id: ops, title: Operations Lead, role: ops-lead, emergency_rollback: true}
  - {id: qa, title: Quality Lead, role: qa-lead}
gates:
  - {name: canary, evidence: dev}
  - {name: ga, evidence: canary, rollout_percent: 100, after: {gate: canary, min_days: 2}}
  - {name: rollback-check, evidence: ga}
escalation:
  - {to: On-call engineer, when: Now}
  - {to: Head of operations, when: Within 10 minutes}
"""
CONTROLS = """apiVersion: p0gate/v1
kind: PolicySet
metadata: {name: service, authority: ops}
controls:
  - id: LAT-1-MAX
    title: No request over 200 ms
    severity: critical
    blocking: true
    rollback_trigger: true
    gates: [canary, ga, rollback-check]
    check: {type: statistic, artifact: latency, column: latency_ms, stat: max, le: 200,
            alerts: {on: max, warning: 50, emergency: 200}}
  - id: LAT-2-P99
    title: p99 under 100 ms
    severity: high
    blocking: true
    gates: [canary, ga]
    check: {type: statistic, artifact: latency, column: latency_ms, stat: p99, lt: 100,
            alerts: {on: p99, warning: 50, critical: 90}}
  - id: DOC-1
    title: Release notes
    severity: low
    blocking: false
    gates: [canary, ga]
    check: {type: document, artifact: notes}
  - id: GV-1-PRIOR
    title: The canary was GO
    severity: critical
    blocking: true
    gates: [ga]
    check: {type: prior-phase, gate: canary}
"""
SIMPLE = """apiVersion: p0gate/v1
kind: PolicySet
metadata: {name: simple, authority: whoever}
controls:
  - {id: DOC-1, title: notes, severity: low, blocking: true, gates: [beta, staging],
     check: {type: document, artifact: notes}}
  - {id: DOC-2, title: old name, severity: low, blocking: true, phases: beta,
     check: {type: document, artifact: notes}}
"""


def lifecycle_pack(root: Path, *, settings: str = SETTINGS, controls: str = CONTROLS) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pack.yaml").write_text(settings)
    (root / "service.yaml").write_text(controls)
    return root


def simple_pack(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "simple.yaml").write_text(SIMPLE)
    return root


def latency_csv(values: list[float]) -> bytes:
    return ("latency_ms\n" + "".join(f"{v}\n" for v in values)).encode()


def release(root: Path, *, phase: str | None, values: list[float], percent: int | None = None,
            version: str = "2.0.0", collected_at: str = "2025-09-30T12:00:00Z",
            extra: list[File] | None = None) -> Bundle:
    """A bundle of shop-release evidence: latency samples and release notes."""
    files = [File("latency", "latency-samples", "latency.csv", latency_csv(values)),
             File("notes", "document", "notes.txt", b"notes"), *(extra or [])]
    return make_bundle(root, files, system="shop", phase=phase, version=version,
                       rollout_percent=percent, collected_at=collected_at)
