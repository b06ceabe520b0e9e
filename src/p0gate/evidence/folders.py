"""Sealed folders of files (a Parquet dataset) and large files, verified without reading
them into memory.

A dataset artifact's ``path`` names a folder and ``files:`` lists every file in it with its
sha256 and size; the artifact's own ``sha256`` is the digest of that list (``listing_digest``),
so the evidence digest covers every file. Before any engine reads them, the folder must hold
exactly those files (no extra, none missing, no links, nothing but regular files) and each
must match its digest. Each file's identity (device, inode, size, mtime) is taken while it
is hashed and checked again after the engine has read it, so a file swapped in between is
an error, never a silent read of unverified bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from p0gate.errors import EvidenceError

_CHUNK = 8 * 1024**2
Identity = tuple[int, int, int, int]
Listed = tuple[str, str, int]  # (path inside the folder, sha256, size)


@dataclass(frozen=True)
class VerifiedFiles:
    """Files whose digests matched, with the identity each had while it was hashed."""

    paths: tuple[Path, ...]
    identities: tuple[Identity, ...]

    def still_unchanged(self, name: str) -> None:
        for path, before in zip(self.paths, self.identities, strict=True):
            if _identity(path) != before:
                raise EvidenceError(f"{name}: {path.name} changed while it was being read",
                                    hint="do not change evidence during an evaluation")

    @property
    def size(self) -> int:
        return sum(i[2] for i in self.identities)


def listing_digest(files: Sequence[Listed]) -> str:
    """sha256 of the canonical JSON list of (path, sha256, size), sorted by path."""
    rows = sorted([str(PurePosixPath(p)), d, s] for p, d, s in files)
    return hashlib.sha256(json.dumps(rows, separators=(",", ":")).encode()).hexdigest()


def _identity(path: Path) -> Identity:
    st = path.lstat()
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def folder_of(root: Path, folder: str, name: str) -> Path:
    """The dataset's folder, inside the bundle and not a link."""
    base = root / folder
    resolved = base.resolve()
    if base.is_symlink() or not resolved.is_relative_to(root.resolve()) or not resolved.is_dir():
        raise EvidenceError(f"{name}: {folder} is not a folder inside the bundle")
    return resolved


def present(base: Path) -> dict[str, Path]:
    """Every entry under ``base`` that is not a folder (links to folders included), by path."""
    found: dict[str, Path] = {}
    for parent, dirs, names in os.walk(base):
        here = Path(parent)
        links = [d for d in dirs if (here / d).is_symlink()]
        for entry in [*names, *links]:
            found[(here / entry).relative_to(base).as_posix()] = here / entry
    return found


def scan(root: Path, folder: str, name: str) -> list[Listed]:
    """What ``bundle seal`` records for a folder: every file with its sha256 and size."""
    base = folder_of(root, folder, name)
    listed = []
    for rel, path in sorted(present(base).items()):
        if not stat.S_ISREG(os.lstat(path).st_mode):
            raise EvidenceError(f"{name}: {rel} is not a regular file (a link?)",
                                hint="a dataset folder holds regular files only")
        digest, size, _ = hash_file(path)
        listed.append((rel, digest, size))
    if not listed:
        raise EvidenceError(f"{name}: the folder {folder} holds no files")
    return listed


def hash_file(path: Path) -> tuple[str, int, Identity]:
    """sha256, size and identity of a regular file, read in chunks through one descriptor."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as handle:
        before = os.fstat(fd)
        digest = hashlib.file_digest(handle, "sha256")
    identity = (before.st_dev, before.st_ino, before.st_size, before.st_mtime_ns)
    return digest.hexdigest(), before.st_size, identity


def verify_files(root: Path, folder: str, files: Sequence[tuple[str, str]],
                 name: str) -> VerifiedFiles:
    """The dataset's files, each verified; refuses extra, missing or unsealed files.

    ``files`` holds (path relative to ``folder``, sha256) pairs as the manifest lists them.
    """
    base = folder_of(root, folder, name)
    listed = {str(PurePosixPath(rel)): digest for rel, digest in files}
    found = present(base)
    extra, missing = sorted(set(found) - set(listed)), sorted(set(listed) - set(found))
    if extra or missing:
        raise EvidenceError(f"{name}: the folder does not match the manifest's files "
                            f"(extra {extra[:5]}, missing {missing[:5]})",
                            hint="re-seal the bundle after changing the dataset")
    if not listed:
        raise EvidenceError(f"{name}: the dataset lists no files")
    order = sorted(listed)
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:  # sha256 frees
        checked = list(pool.map(lambda rel: verify_file(found[rel], listed[rel],  # the GIL
                                                        f"{name}: {rel}"), order))
    return VerifiedFiles(tuple(found[rel] for rel in order), tuple(checked))


def verify_file(path: Path, digest: str, where: str) -> Identity:
    """The identity of a regular file whose sha256 is ``digest``; refuses links."""
    if path.is_symlink() or not path.is_file():
        raise EvidenceError(f"{where} is not a regular file")
    try:
        actual, _, identity = hash_file(path)
    except OSError as exc:
        raise EvidenceError(f"{where}: cannot read: {exc.strerror}") from None
    if actual != digest or _identity(path) != identity:
        raise EvidenceError(f"{where}: sha256 mismatch with the manifest",
                            hint="the file changed after sealing; re-collect or re-seal")
    return identity


def dataset_files(root: Path, path: str, sha256: str | None, listed: Sequence[Listed],
                  cap: int, where: str) -> tuple[Path, VerifiedFiles]:
    """A dataset's folder and its files, every one verified; the listing must match the
    artifact's ``sha256``."""
    if listing_digest(listed) != sha256:
        raise EvidenceError(f"{where}: the files listed do not match the artifact's sha256",
                            hint="re-seal the bundle with `p0gate bundle seal`")
    for name, _, size in listed:
        if size > cap:
            raise EvidenceError(f"{where}: {name} is over the cap of {cap} bytes")
    verified = verify_files(root, path, [(name, digest) for name, digest, _ in listed], where)
    return folder_of(root, path, where), verified


def streamed_file(file: Path, sha256: str, size: int | None, where: str) -> VerifiedFiles:
    """A large file verified in chunks, not held: its identity is checked after use."""
    identity = verify_file(file, sha256, where)
    if size is not None and size != identity[2]:
        raise EvidenceError(f"{where}: size {identity[2]} differs from the manifest's {size}")
    return VerifiedFiles((file,), (identity,))
