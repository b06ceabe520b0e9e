"""Safe unpacking of .tar.gz and .zip bundles.

Refused: absolute names, ``..``, links of any kind, device files and FIFOs, more than
``MAX_MEMBERS`` members, and more than ``max_bytes`` unpacked in all.
"""

from __future__ import annotations

import shutil
import stat
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from p0gate.errors import InputError, Location

MAX_MEMBERS = 10_000
_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(_SUFFIXES)


@contextmanager
def unpacked(archive: Path, *, max_bytes: int) -> Iterator[Path]:
    """Unpack into a fresh temporary folder that is removed afterwards."""
    work = Path(tempfile.mkdtemp(prefix="p0gate-bundle-"))
    try:
        if archive.name.lower().endswith(".zip"):
            _unzip(archive, work, max_bytes)
        else:
            _untar(archive, work, max_bytes)
        yield _single_root(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _refuse(archive: Path, member: str, why: str) -> InputError:
    return InputError(f"archive member {member!r} refused: {why}", location=Location(archive),
                      hint="rebuild the archive with regular files inside one folder")


def _check_name(archive: Path, name: str) -> None:
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise _refuse(archive, name, "absolute path")
    if ".." in parts:
        raise _refuse(archive, name, "path with ..")
    if "\x00" in name:
        raise _refuse(archive, name, "NUL in name")


def _untar(archive: Path, work: Path, max_bytes: int) -> None:
    try:
        with tarfile.open(archive, "r:*") as tar:
            members = tar.getmembers()
            _count(archive, len(members))
            total = 0
            for member in members:
                _check_name(archive, member.name)
                if member.issym() or member.islnk():
                    raise _refuse(archive, member.name, "links are not allowed in bundles")
                if not (member.isfile() or member.isdir()):
                    raise _refuse(archive, member.name, "only regular files and folders")
                total += member.size
                if total > max_bytes:
                    raise _refuse(archive, member.name, f"over {max_bytes} bytes unpacked")
            tar.extractall(work, members=members, filter="data")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise InputError(f"cannot unpack: {exc}", location=Location(archive)) from None


def _unzip(archive: Path, work: Path, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            _count(archive, len(infos))
            total = 0
            for info in infos:
                _check_name(archive, info.filename)
                mode = info.external_attr >> 16
                # no file-type bits (zipfile's writestr, DOS tools) means a regular file
                if stat.S_IFMT(mode) and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                    raise _refuse(archive, info.filename, "only regular files and folders")
                total += info.file_size
                if total > max_bytes:
                    raise _refuse(archive, info.filename, f"over {max_bytes} bytes unpacked")
            for info in infos:
                _extract_zip_member(zf, info, work, max_bytes)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(f"cannot unpack: {exc}", location=Location(archive)) from None


def _extract_zip_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, work: Path,
                        max_bytes: int) -> None:
    target = (work / info.filename).resolve()
    if not target.is_relative_to(work.resolve()):
        raise _refuse(Path(zf.filename or "?"), info.filename, "leads out of the bundle")
    if info.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with zf.open(info) as src, target.open("wb") as dst:
        while chunk := src.read(1024 * 1024):
            written += len(chunk)
            if written > max_bytes:  # the header may lie about the size
                raise _refuse(Path(zf.filename or "?"), info.filename, "too large")
            dst.write(chunk)


def _count(archive: Path, n: int) -> None:
    if n > MAX_MEMBERS:
        raise InputError(f"archive has {n} members, more than {MAX_MEMBERS}",
                         location=Location(archive))


def _single_root(work: Path) -> Path:
    """A bundle archive may hold the bundle at its top or inside one folder."""
    if (work / "manifest.yaml").exists():
        return work
    entries = list(work.iterdir())
    if len(entries) == 1 and entries[0].is_dir() and (entries[0] / "manifest.yaml").exists():
        return entries[0]
    return work
