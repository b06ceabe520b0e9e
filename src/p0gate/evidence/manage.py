"""``bundle init|seal|verify``: write a manifest, fill in digests, check them."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

from p0gate.documents import API_VERSION
from p0gate.errors import EvidenceError, InputError, Location
from p0gate.evidence import guess_kind
from p0gate.evidence.bundle import (
    MANIFEST,
    Artifact,
    Bundle,
    DatasetFile,
    load_manifest,
    sha256_file,
)

# `bundle init`'s fill-in marker for `source`; older versions wrote the same words after a
# to-do prefix, so any source holding them is still a placeholder.
MARKER = "describe the tool or run that produced this file"
PLACEHOLDER = f"<{MARKER}>"


def placeholders(root: Path) -> list[str]:
    """The ids of the manifest's artifacts whose ``source`` is still ``bundle init``'s
    placeholder (or empty): an auditor could not tell where that evidence came from."""
    manifest, _ = load_manifest(root)
    return [a.id for a in manifest.artifacts
            if not (a.source or "").strip() or MARKER in (a.source or "")]


def init(root: Path, *, system: str, version: str, now: datetime) -> Path:
    """Write a manifest listing every file under ``root`` with a guessed kind."""
    path = root / MANIFEST
    if path.exists() or path.is_symlink():
        raise InputError("manifest.yaml already exists", location=Location(path),
                         hint="edit it, then run `p0gate bundle seal`")
    stamp = now.isoformat().replace("+00:00", "Z")
    files = sorted(p for p in _regular_files(root) if p != path)
    artifacts = [{"id": _slug(p.relative_to(root).as_posix()), "kind": guess_kind(p.name),
                  "path": p.relative_to(root).as_posix(), "collected_at": stamp,
                  "source": PLACEHOLDER} for p in files]
    manifest = {"apiVersion": API_VERSION, "kind": "EvidenceBundle",
                "metadata": {"system": system, "version": version, "collected_at": stamp},
                "artifacts": artifacts}
    _write_new(path, yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True))
    return path


def _regular_files(root: Path) -> Iterator[Path]:
    """Regular files under ``root``; links (to files or folders) are neither listed nor followed."""
    for folder, _, names in os.walk(root):
        for name in names:
            candidate = Path(folder) / name
            if candidate.is_file() and not candidate.is_symlink():
                yield candidate


def _write_new(path: Path, text: str) -> None:
    """Create ``path``; refuse when anything, a link included, already has that name."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
    except FileExistsError:
        raise InputError(f"{path.name} already exists (or is a link)",
                         location=Location(path)) from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def _slug(rel: str) -> str:
    stem = rel.rsplit(".", 1)[0].lower()
    return "".join(ch if ch.isalnum() else "-" for ch in stem).strip("-") or "artifact"


def seal(root: Path) -> int:
    """Fill in sha256 and size of every artifact; returns how many were sealed."""
    manifest, _ = load_manifest(root)
    bundle = Bundle(root, manifest, "")
    entries = [_sealed(bundle, artifact) for artifact in manifest.artifacts]
    sealed = manifest.model_copy(update={"artifacts": entries})
    data = sealed.model_dump(mode="json", exclude_none=True)
    # a new file renamed over the manifest: a link swapped in meanwhile is replaced, not followed
    fresh = root / f".{MANIFEST}.{secrets.token_hex(8)}.tmp"
    _write_new(fresh, yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    try:
        fresh.replace(root / MANIFEST)
    finally:
        fresh.unlink(missing_ok=True)
    return len(entries)


def _sealed(bundle: Bundle, artifact: Artifact) -> Artifact:
    """The entry with its sha256 and size; a folder of a kind that may be large is a
    dataset: every file is listed with its own sha256 (``files``)."""
    from p0gate.evidence import reader_for

    where = f"artifact {artifact.id!r} ({artifact.path})"
    registered = reader_for(artifact.kind)
    if (bundle.root / artifact.path).is_dir() and registered is not None and registered.large:
        from p0gate.evidence.folders import listing_digest, scan

        listed = scan(bundle.root, artifact.path, where)
        files = [DatasetFile(path=p, sha256=d, size=n) for p, d, n in listed]
        return artifact.model_copy(update={"sha256": listing_digest(listed), "files": files,
                                           "size": sum(n for _, _, n in listed)})
    digest, size = sha256_file(bundle.safe_file(artifact))
    return artifact.model_copy(update={"sha256": digest, "size": size, "files": None})


@dataclass(frozen=True)
class Problem:
    artifact: str
    message: str


def verify(bundle: Bundle) -> list[Problem]:
    """Every artifact present, confined, unchanged; returns the problems found."""
    from p0gate.evidence.store import STREAM_BYTES

    problems = []
    for artifact in bundle.manifest.artifacts:
        try:
            bundle.blob(artifact, stream_over=STREAM_BYTES)
        except EvidenceError as exc:
            problems.append(Problem(artifact.id, exc.message))
    return problems
