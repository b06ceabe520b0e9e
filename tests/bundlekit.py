"""Small helpers for tests that need a sealed evidence bundle on disk."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from p0gate.checks.base import CheckContext, CheckParams
from p0gate.checks.pack_files import PackFolder
from p0gate.errors import InputError
from p0gate.evidence.bundle import Artifact, Blob, Bundle, load_manifest
from p0gate.evidence.store import EvidenceStore
from p0gate.history import History
from p0gate.outcome import CheckResult

NOW = datetime(2025, 10, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class File:
    id: str
    kind: str
    path: str
    data: bytes


def make_bundle(
    root: Path, files: list[File], *, system: str = "p0-cloud-sync", phase: str | None = "staging",
    version: str = "1.0.0", rollout_percent: int | None = None,
    collected_at: str = "2025-09-30T12:00:00Z",
) -> Bundle:
    """Write the files and a sealed manifest; return the opened bundle."""
    root.mkdir(parents=True, exist_ok=True)
    entries = []
    for f in files:
        (root / f.path).parent.mkdir(parents=True, exist_ok=True)
        (root / f.path).write_bytes(f.data)
        entries.append(
            {
                "id": f.id,
                "kind": f.kind,
                "path": f.path,
                "sha256": hashlib.sha256(f.data).hexdigest(),
                "collected_at": collected_at,
            }
        )
    metadata: dict[str, object] = {"system": system, "version": version}
    if phase is not None:
        metadata["phase"] = phase
    if rollout_percent is not None:
        metadata["rollout_percent"] = rollout_percent
    metadata["collected_at"] = collected_at
    manifest = {"apiVersion": "p0gate/v1", "kind": "EvidenceBundle", "metadata": metadata,
                "artifacts": entries}
    (root / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    manifest_model, digest = load_manifest(root)
    return Bundle(root, manifest_model, digest)


def aged_bundle(tmp_path: Path, ages_days: dict[str, float], data: bytes = b"report") -> Bundle:
    """Documents collected ``ages_days`` before ``NOW``, by artifact id."""
    make_bundle(tmp_path, [File(k, "document", f"{k}.txt", data) for k in ages_days])
    manifest = yaml.safe_load((tmp_path / "manifest.yaml").read_text())
    for entry in manifest["artifacts"]:
        when = NOW - timedelta(days=ages_days[entry["id"]])
        entry["collected_at"] = when.isoformat()
    (tmp_path / "manifest.yaml").write_text(yaml.safe_dump(manifest))
    model, digest = load_manifest(tmp_path)
    return Bundle(tmp_path, model, digest)


def blob_of(kind: str, path: str, data: bytes, artifact_id: str = "x") -> Blob:
    """An in-memory artifact as a reader receives it (the digest check is not involved)."""
    artifact = Artifact.model_validate({"id": artifact_id, "kind": kind, "path": path,
                                        "collected_at": "2025-09-27T10:00:00Z"})
    return Blob(artifact, Path(path), data)


def run_check(
    check: CheckParams,
    bundle: Bundle,
    *,
    trust_dir: Path | None = None,
    baseline: Bundle | None = None,
    pack_dir: Path = Path("policies"),
    history: History | None = None,
) -> CheckResult:
    """Run one check as the evaluator does: its pack files loaded first (as ``load_pack``
    does), then ``run`` on a context over ``bundle``."""
    folder = PackFolder(pack_dir, trust_dir)
    problems = check.pack_problems(folder)
    if problems:
        raise InputError("; ".join(problems))
    ctx = CheckContext(store=EvidenceStore(), bundle=bundle, baseline=baseline,
                       files=folder.files(), now=NOW, history=history)
    return check.run(ctx)


def write_keypair(folder: Path, name: str) -> Path:
    """A fresh Ed25519 key: ``name.key.pem`` (private) and ``name.pub.pem`` in ``folder``."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    folder.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    private = folder / f"{name}.key.pem"
    private.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    (folder / f"{name}.pub.pem").write_bytes(
        key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
    return private


def write_trust(folder: Path, signers: list[tuple[str, list[str], str]]) -> None:
    """trust.yaml binding (name, roles, public key file) entries."""
    body = "".join(
        f"  - name: {name}\n    roles: [{', '.join(roles)}]\n    public_key: {pub}\n"
        for name, roles, pub in signers
    )
    (folder / "trust.yaml").write_text(f"apiVersion: p0gate/v1\nkind: TrustStore\nsigners:\n{body}")


def sealed_dataset(root: Path, folder: str, files: dict[str, bytes], *,
                   artifact_id: str = "lake", unit: str | None = None,
                   extra: tuple[File, ...] = ()) -> Bundle:
    """A bundle whose latency-samples artifact ``artifact_id`` is the folder ``folder``
    holding ``files`` (path inside it → bytes), sealed by ``bundle seal``."""
    from p0gate.evidence.manage import seal

    for rel, data in files.items():
        (root / folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / folder / rel).write_bytes(data)
    entry = {"id": artifact_id, "kind": "latency-samples", "path": folder,
             "collected_at": "2025-09-30T12:00:00Z", **({"unit": unit} if unit else {})}
    others = [{"id": f.id, "kind": f.kind, "path": f.path,
               "collected_at": "2025-09-30T12:00:00Z"} for f in extra]
    for f in extra:
        (root / f.path).parent.mkdir(parents=True, exist_ok=True)
        (root / f.path).write_bytes(f.data)
    manifest = {"apiVersion": "p0gate/v1", "kind": "EvidenceBundle",
                "metadata": {"system": "p0-cloud-sync", "version": "1.0.0", "phase": "staging",
                             "collected_at": "2025-09-30T12:00:00Z"},
                "artifacts": [entry, *others]}
    (root / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    seal(root)
    model, digest = load_manifest(root)
    return Bundle(root, model, digest)


def parquet(**columns: list[object]) -> bytes:
    """A Parquet file of these columns, written by pyarrow."""
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(pa.table(columns), sink)
    return sink.getvalue()
