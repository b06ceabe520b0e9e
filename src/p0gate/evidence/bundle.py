"""Evidence bundles: the manifest, digests, confinement and safe unpacking.

A bundle resolves artifact paths and verifies bytes: an artifact is read as bytes and its
sha256 is compared with the manifest before any reader sees it (so what is parsed is exactly
what was hashed). Paths are confined to the bundle: no absolute paths, no ``..``, no links
leading out, regular files only. Reading each artifact once is the evidence store's job.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Annotated, Literal, TypeVar

from pydantic import AfterValidator, AwareDatetime, Field, model_validator

from p0gate.documents import Document, Model, load_document
from p0gate.errors import EvidenceError, InputError, Location
from p0gate.evidence import ArtifactKind, reader_for
from p0gate.outcome import NAME, NAME_WORDS
from p0gate.yamlio import worded

if TYPE_CHECKING:
    from p0gate.evidence.folders import VerifiedFiles

MANIFEST = "manifest.yaml"
DEFAULT_MAX_ARTIFACT_BYTES = 2 * 1024**3
ID_PATTERN = worded(NAME, NAME_WORDS)  # artifacts, phases and gates are named alike
SHA256_PATTERN = worded(r"^[0-9a-f]{64}$", "a sha256 digest: 64 lower-case hexadecimal digits")
_CHUNK = 1024 * 1024
OVERLAP_BYTES = 8 * 1024**2  # a larger artifact is parsed while it is hashed
T = TypeVar("T")

Timestamp = Annotated[AwareDatetime, Field(strict=False, description=(
    "ISO 8601 with a timezone, e.g. 2025-09-20T10:00:00Z"))]
ProgressHook = Callable[[str, int, int], None]


def confined_path(value: str) -> str:
    """Refuse paths that could leave the bundle; return the normalised relative path."""
    if not value or "\\" in value or "\x00" in value or re.match(r"^[A-Za-z]:", value):
        raise ValueError("path must be a non-empty relative path with forward slashes")
    pure = PurePosixPath(value)
    if pure.is_absolute() or ".." in pure.parts:
        raise ValueError("path must be relative and inside the bundle (no leading /, no ..)")
    return str(pure)


RelativePath = Annotated[str, AfterValidator(confined_path)]


class BundleMetadata(Model):
    system: str = Field(description="the system the evidence is about, e.g. p0-cloud-sync")
    version: str = Field(description="the version under evaluation (quote it: \"1.10\")")
    commit: str | None = Field(None, description="source commit of that version")
    phase: str | None = Field(None, pattern=NAME, description=(
        "the phase the evidence was collected in, as the pack's gates name it (`evidence:`)"))
    rollout_percent: int | None = Field(None, ge=0, le=100, description=(
        "the rollout step (percent of users) the evidence was collected at"))
    collected_at: Timestamp


class DatasetFile(Model):
    path: RelativePath = Field(description="the file's path inside the dataset folder")
    sha256: str = Field(pattern=SHA256_PATTERN, description="hex sha256 of the file")
    size: int = Field(ge=0, description="size in bytes")


class Artifact(Model):
    id: str = Field(pattern=ID_PATTERN, description="unique id that checks select by")
    kind: ArtifactKind = Field(description="what the file is; chooses its reader")
    path: RelativePath = Field(description=(
        "relative path inside the bundle, forward slashes; a folder for a dataset"))
    sha256: str | None = Field(None, pattern=SHA256_PATTERN, description=(
        "hex sha256 of the file, or of the list of a dataset's files (written by bundle seal)"))
    size: int | None = Field(None, ge=0, description="size in bytes (written by bundle seal)")
    collected_at: Timestamp
    source: str | None = Field(None, description="the tool or run that produced the file")
    unit: Literal["ns", "us", "ms", "s"] | None = Field(None, description=(
        "what latency values are in (ns, us, ms, s; default ms); p0gate converts to ms"))
    files: list[DatasetFile] | None = Field(None, description=(
        "a dataset folder's files with their sha256 and size (written by bundle seal)"))

    @model_validator(mode="after")
    def _fits_the_kind(self) -> Artifact:
        registered = reader_for(self.kind)
        if self.unit is not None and registered is not None and not registered.latency:
            raise ValueError(f"`unit` is for latency evidence, not {self.kind}")
        if self.files is not None and registered is not None and not registered.large:
            raise ValueError(f"a {self.kind} artifact is one file: `files` is for datasets")
        return self

    def listed(self) -> list[tuple[str, str, int]]:
        return [(f.path, f.sha256, f.size) for f in self.files or []]


class Manifest(Document):
    kind: Literal["EvidenceBundle"]
    metadata: BundleMetadata
    artifacts: list[Artifact] = Field(description="the evidence files")

    @model_validator(mode="after")
    def _unique_ids(self) -> Manifest:
        seen: set[str] = set()
        for artifact in self.artifacts:
            if artifact.id in seen:
                raise ValueError(f"duplicate artifact id {artifact.id!r}")
            seen.add(artifact.id)
        return self


def evidence_digest(manifest: Manifest) -> str:
    """What a sign-off signs (design §6): sha256 of the canonical JSON (sorted keys, no
    whitespace, UTF-8) of ``{"metadata": …, "artifacts": […]}``: the bundle metadata and every
    field of the manifest entries of all non-signoff artifacts (``collected_at``, ``source``,
    ``size`` included; absent optional fields as null), sorted by id. Editing any of them,
    or an artifact's bytes, voids every sign-off over the bundle."""
    entries = sorted((a.model_dump(mode="json") for a in manifest.artifacts
                      if a.kind != "signoff"), key=lambda e: str(e["id"]))
    data = {"metadata": manifest.metadata.model_dump(mode="json"), "artifacts": entries}
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Blob:
    """A verified artifact: its manifest entry, the file it came from and its bytes; or, for
    a dataset or a file too large to hold, no bytes but the verified ``files``."""

    artifact: Artifact
    file: Path
    data: bytes
    files: VerifiedFiles | None = None


@dataclass
class Bundle:
    """An opened evidence bundle: its manifest, and its artifacts' verified bytes."""

    root: Path
    manifest: Manifest
    manifest_sha256: str
    max_artifact_bytes: int = DEFAULT_MAX_ARTIFACT_BYTES
    progress: ProgressHook | None = None

    @property
    def metadata(self) -> BundleMetadata:
        return self.manifest.metadata

    def find(self, artifact_id: str) -> Artifact | None:
        return next((a for a in self.manifest.artifacts if a.id == artifact_id), None)

    def of_kind(self, kind: str) -> list[Artifact]:
        return [a for a in self.manifest.artifacts if a.kind == kind]

    def evidence_digest(self) -> str:
        return evidence_digest(self.manifest)

    def blob(self, artifact: Artifact, *, stream_over: int | None = None) -> Blob:
        """Read the artifact's bytes and check them against the manifest (no cache: the
        evidence store reads each artifact once). A dataset, or a file over ``stream_over``
        bytes, is verified by streaming instead and handed on as files, not bytes."""
        return self.parsed(artifact, _same, stream_over=stream_over)

    def parsed(self, artifact: Artifact, parse: Callable[[Blob], T], *,
               stream_over: int | None = None, overlap_over: int = OVERLAP_BYTES) -> T:
        """``parse`` of the verified blob. Over ``overlap_over`` bytes the parse starts on the
        bytes read while they are hashed, in another thread: its result (or its error) is
        only used once the digest of exactly those bytes matched the manifest."""
        sealed = _sealed(artifact)
        if artifact.files is not None:
            return parse(self._dataset(artifact))
        file = self.safe_file(artifact)
        if stream_over is not None and file.stat().st_size > stream_over:
            from p0gate.evidence.folders import streamed_file

            verified = streamed_file(file, sealed, artifact.size, _where(artifact))
            return parse(Blob(artifact, file, b"", verified))
        blob = Blob(artifact, file, self._read(file, artifact))
        if len(blob.data) <= overlap_over:
            _matches(artifact, sealed, self._digest(blob.data, artifact), len(blob.data))
            return parse(blob)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="p0gate-parse") as pool:
            early = pool.submit(parse, blob)  # on a mismatch it is waited for, never used
            _matches(artifact, sealed, self._digest(blob.data, artifact), len(blob.data))
            return early.result()

    def _dataset(self, artifact: Artifact) -> Blob:
        from p0gate.evidence.folders import dataset_files

        folder, verified = dataset_files(self.root, artifact.path, artifact.sha256,
                                         artifact.listed(), self.max_artifact_bytes,
                                         _where(artifact))
        return Blob(artifact, folder, b"", verified)

    def verify(self, artifact: Artifact) -> None:
        """Check the artifact's bytes against the manifest without keeping them (streamed):
        an ``EvidenceError`` when it is unsealed, missing, leads out of the bundle or changed
        (for a dataset: any of its files)."""
        sealed = _sealed(artifact)
        if artifact.files is not None:
            self._dataset(artifact)
            return
        digest, size = sha256_file(self.safe_file(artifact))
        _matches(artifact, sealed, digest, size)

    def safe_file(self, artifact: Artifact) -> Path:
        """The artifact's file, refusing anything that is not a regular file inside the root."""
        root = self.root.resolve()
        candidate = root / artifact.path
        where = f"artifact {artifact.id!r} ({artifact.path})"
        try:
            resolved = candidate.resolve(strict=True)
        except FileNotFoundError:
            raise EvidenceError(f"{where}: file not found in the bundle") from None
        except (OSError, RuntimeError):  # a loop of links: RuntimeError before 3.13, then OSError
            raise EvidenceError(f"{where}: the path cannot be resolved (a loop of links?)") \
                from None
        if not resolved.is_relative_to(root):
            raise EvidenceError(f"{where}: the path leads out of the bundle (a link?)")
        if not resolved.is_file():
            raise EvidenceError(f"{where}: not a regular file")
        size = resolved.stat().st_size
        if size > self.max_artifact_bytes:
            raise EvidenceError(f"{where}: {size} bytes is over the cap of "
                                f"{self.max_artifact_bytes} bytes")
        return resolved

    def _read(self, file: Path, artifact: Artifact) -> bytes:
        """One read into one buffer (no chunk list to join), at most the cap plus one byte."""
        with file.open("rb") as handle:
            limit = min(os.fstat(handle.fileno()).st_size, self.max_artifact_bytes) + 1
            data = handle.read(limit)
        if len(data) > self.max_artifact_bytes:
            raise EvidenceError(f"artifact {artifact.id!r} grew over the size cap")
        return data

    def _digest(self, data: bytes, artifact: Artifact) -> str:
        """sha256 of ``data`` in chunks, reporting progress on large artifacts."""
        digest = hashlib.sha256()
        view = memoryview(data)
        for start in range(0, len(data), 8 * _CHUNK):
            digest.update(view[start:start + 8 * _CHUNK])
            if self.progress:
                self.progress(artifact.id, min(start + 8 * _CHUNK, len(data)), len(data))
        return digest.hexdigest()


def _same(blob: Blob) -> Blob:
    return blob


def _where(artifact: Artifact) -> str:
    return f"artifact {artifact.id!r} ({artifact.path})"


def _sealed(artifact: Artifact) -> str:
    """The artifact's sealed sha256; an unsealed artifact is never read."""
    if artifact.sha256 is None:
        raise EvidenceError(f"artifact {artifact.id!r} ({artifact.path}) has no sha256 in the "
                            "manifest", hint="run `p0gate bundle seal` on the bundle")
    return artifact.sha256


def _matches(artifact: Artifact, sealed: str, actual: str, size: int) -> None:
    where = f"artifact {artifact.id!r} ({artifact.path})"
    if actual != sealed:
        raise EvidenceError(f"{where}: sha256 mismatch: manifest says {sealed[:12]}…, file is "
                            f"{actual[:12]}…",
                            hint="the file changed after sealing; re-collect or re-seal")
    if artifact.size is not None and artifact.size != size:
        raise EvidenceError(f"{where}: size {size} differs from the manifest's {artifact.size}")


def load_manifest(root: Path) -> tuple[Manifest, str]:
    """Parse and validate ``root/manifest.yaml``; return it with its own sha256."""
    path = root / MANIFEST
    if path.is_symlink():
        raise InputError("manifest.yaml is a symbolic link", location=Location(path),
                         hint="put the manifest itself in the bundle, not a link to it")
    if not path.is_file():
        raise InputError("no manifest.yaml in the evidence bundle", location=Location(root),
                         hint="create one with `p0gate bundle init`")
    try:  # O_NOFOLLOW: a link swapped in after the check above is refused too
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        raise InputError(f"cannot read manifest.yaml: {exc.strerror}",
                         location=Location(path)) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError("manifest.yaml is not a regular file", location=Location(path))
        raw = handle.read()
    manifest = load_document(path, Manifest, text=_decode(raw, path))
    return manifest, hashlib.sha256(raw).hexdigest()


def _decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 (byte {exc.start})", location=Location(path)) from None


@contextmanager
def open_bundle(source: Path, *, max_artifact_bytes: int = DEFAULT_MAX_ARTIFACT_BYTES,
                progress: ProgressHook | None = None) -> Iterator[Bundle]:
    """Open a bundle folder, or unpack a .tar.gz/.zip bundle safely into a temporary folder."""
    from p0gate.evidence.archive import is_archive, unpacked

    if not source.exists():
        raise InputError("evidence bundle not found", location=Location(source))
    if source.is_dir():
        yield Bundle(source, *load_manifest(source), max_artifact_bytes, progress)
        return
    if not is_archive(source):
        raise InputError("an evidence bundle is a folder, a .tar.gz or a .zip",
                         location=Location(source))
    with unpacked(source, max_bytes=max_artifact_bytes * 4) as root:
        yield Bundle(root, *load_manifest(root), max_artifact_bytes, progress)


def sha256_file(path: Path) -> tuple[str, int]:
    """Streamed sha256 and size of a file."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(8 * _CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size

