"""latency-samples larger than memory: a sealed folder of Parquet (or CSV) files.

Every file of the folder is listed in the manifest with its sha256 (``files:``); before any
engine reads them, the folder must hold exactly those files (no extra, none missing, no
links out) and each must match its digest. Their identity (device, inode, size, mtime) is
taken while hashing and checked again after the query, so a file swapped in between is an
error, not a silent read of unverified bytes.

The answers are what the checks need, exactly: per threshold the number of samples
``< t`` and ``<= t``, per statistic the exact nearest-rank value (rank ``ceil(q/100 * n)``
in decimal), and the mean. Small inputs are answered by numpy; large ones by DuckDB
(``dataset_duckdb``), out of core. Both give the same numbers (a test checks it).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from p0gate.errors import EvidenceError
from p0gate.evidence.histogram import rank

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

NUMPY_MAX_BYTES = 256 * 1024**2
_CHUNK = 8 * 1024**2
Identity = tuple[int, int, int, int]


@dataclass(frozen=True)
class SampleAnswers:
    """Exact answers over ``n`` samples (values in the data's unit)."""

    n: int
    below: dict[float, int]
    at_most: dict[float, int]
    ranks: dict[str, float]
    mean: float | None


@dataclass(frozen=True)
class VerifiedFiles:
    """Files whose digests matched, with the identity each had while it was hashed."""

    paths: tuple[Path, ...]
    identities: tuple[Identity, ...]

    def still_unchanged(self, name: str) -> None:
        for path, before in zip(self.paths, self.identities, strict=True):
            if _identity(path) != before:
                raise EvidenceError(f"{name}: {path.name} changed while it was being read")

    @property
    def size(self) -> int:
        return sum(i[2] for i in self.identities)


def _identity(path: Path) -> Identity:
    st = os.stat(path, follow_symlinks=False)
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def verify_files(root: Path, folder: str, files: Sequence[tuple[str, str]],
                 name: str) -> VerifiedFiles:
    """The dataset's files, each verified; refuses extra, missing or unsealed files.

    ``files`` holds (path relative to ``folder``, sha256) pairs as the manifest lists them.
    """
    base = (root / folder).resolve()
    if not base.is_relative_to(root.resolve()) or not base.is_dir():
        raise EvidenceError(f"{name}: {folder} is not a folder inside the bundle")
    listed = {str(PurePosixPath(rel)): digest for rel, digest in files}
    present = {p.relative_to(base).as_posix(): p for p in base.rglob("*")
               if p.is_file() or p.is_symlink()}
    extra, missing = sorted(set(present) - set(listed)), sorted(set(listed) - set(present))
    if extra or missing:
        raise EvidenceError(f"{name}: the folder does not match the manifest's files "
                            f"(extra {extra[:5]}, missing {missing[:5]})",
                            hint="re-seal the bundle after changing the dataset")
    if not listed:
        raise EvidenceError(f"{name}: the dataset lists no files")
    checked = [_verified(present[rel], digest, rel, name) for rel, digest in sorted(listed.items())]
    return VerifiedFiles(tuple(p for p, _ in checked), tuple(i for _, i in checked))


def _verified(path: Path, digest: str, rel: str, name: str) -> tuple[Path, Identity]:
    if path.is_symlink() or not path.is_file():
        raise EvidenceError(f"{name}: {rel} is not a regular file")
    before = _identity(path)
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            sha.update(chunk)
    if sha.hexdigest() != digest or _identity(path) != before:
        raise EvidenceError(f"{name}: {rel}: sha256 mismatch with the manifest",
                            hint="the file changed after sealing; re-collect or re-seal")
    return path, before


def answer_numpy(values: npt.NDArray[np.float64], thresholds: Sequence[float],
                 stats: Sequence[str]) -> SampleAnswers:
    """The exact answers on samples in memory (by selection, no full sort)."""
    import numpy as np

    n = int(values.size)
    below = {t: int(np.count_nonzero(values < t)) for t in thresholds}
    at_most = {t: int(np.count_nonzero(values <= t)) for t in thresholds}
    ranks: dict[str, float] = {}
    if n and stats:
        wanted = {s: rank(s, n) - 1 for s in stats}
        work = np.partition(values, sorted(set(wanted.values())))
        ranks = {s: float(work[i]) for s, i in wanted.items()}
    mean = float(values.mean(dtype=np.float64)) if n else None
    return SampleAnswers(n, below, at_most, ranks, mean)


def answer_files(verified: VerifiedFiles, column: str, *, fmt: str, name: str,
                 thresholds: Sequence[float], stats: Sequence[str],
                 engine: str | None = None, temp_dir: Path | None = None) -> SampleAnswers:
    """Answer on verified files: numpy when small (or asked), DuckDB otherwise."""
    from p0gate.evidence import dataset_duckdb as ddb

    chosen = engine or ("numpy" if verified.size <= NUMPY_MAX_BYTES else "duckdb")
    if chosen == "numpy":
        values = ddb.load_column(verified.paths, column, fmt=fmt, name=name)
        answers = answer_numpy(values, thresholds, stats)
    else:
        answers = ddb.answer(verified.paths, column, fmt=fmt, name=name,
                             thresholds=thresholds, stats=stats, temp_dir=temp_dir)
    verified.still_unchanged(name)
    return answers
