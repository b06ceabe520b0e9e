"""Safe, streamed unpacking of .tar(.gz) and .zip bundles.

Refused: absolute names, ``..``, links of any kind, device files, FIFOs and sparse files,
duplicate names, encrypted zip members and compression other than stored/deflate, more than
``MAX_MEMBERS`` members, more than ``max_bytes`` unpacked in all (declared or actually
written), and more than ``MAX_HEADER_BYTES`` of tar headers (long names, pax records).

Memory stays bounded whatever the archive says: members are read one at a time in
``_CHUNK`` pieces, and every read tarfile makes for headers is checked against the header
budget *before* the decompressor allocates its buffer (a pax header declaring a gigabyte is
refused, not read). Files are created with ``O_EXCL | O_NOFOLLOW`` in a fresh private folder,
never through a link, without the archive's permissions or owners. The same code runs on
every supported Python (it does not rely on tarfile's extraction filters, which 3.11.2 lacks).
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import shutil
import stat
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

from p0gate.errors import InputError, Location

MAX_MEMBERS = 10_000
MAX_HEADER_BYTES = 32 * 1024**2
_CHUNK = 1024 * 1024
_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")
_ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_Stream = io.BufferedIOBase | IO[bytes]
_UNPACK_ERRORS = (tarfile.TarError, zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError,
                  OSError, ValueError, OverflowError, NotImplementedError)


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(_SUFFIXES)


@contextmanager
def unpacked(archive: Path, *, max_bytes: int) -> Iterator[Path]:
    """Unpack into a fresh temporary folder that is removed afterwards."""
    work = Path(tempfile.mkdtemp(prefix="p0gate-bundle-"))
    try:
        budget = _Budget(archive, work, max_bytes)
        try:
            if archive.name.lower().endswith(".zip"):
                _unzip(budget)
            else:
                _untar(budget)
        except _UNPACK_ERRORS as exc:
            raise InputError(f"cannot unpack: {exc}", location=Location(archive)) from None
        yield _single_root(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _refuse(archive: Path, member: str, why: str) -> InputError:
    return InputError(f"archive member {member!r} refused: {why}", location=Location(archive),
                      hint="rebuild the archive with regular files inside one folder")


class _Budget:
    """What one archive may still unpack: members, bytes, and where they go."""

    def __init__(self, archive: Path, work: Path, max_bytes: int) -> None:
        self.archive, self.work, self.max_bytes = archive, work, max_bytes
        self.members = 0
        self.declared = 0
        self.written = 0

    def admit(self, name: str, declared_size: int, *, is_dir: bool) -> Path:
        """Count one member, check its name and declared size; return where it goes."""
        self.members += 1
        if self.members > MAX_MEMBERS:
            raise InputError(f"archive has more than {MAX_MEMBERS} members",
                             location=Location(self.archive))
        parts = _checked_parts(self.archive, name)
        if not parts and not is_dir:
            raise _refuse(self.archive, name, "empty file name")
        self.declared += max(declared_size, 0)
        if self.declared > self.max_bytes:
            raise _refuse(self.archive, name, f"over {self.max_bytes} bytes unpacked")
        return self.work.joinpath(*parts)

    def spend(self, name: str, size: int) -> None:
        self.written += size
        if self.written > self.max_bytes:  # a header may lie about the size
            raise _refuse(self.archive, name, f"over {self.max_bytes} bytes unpacked")


def _checked_parts(archive: Path, name: str) -> list[str]:
    """The name's path components, refusing absolute paths, ``..`` and NUL."""
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise _refuse(archive, name, "absolute path")
    parts = name.replace("\\", "/").split("/")
    if ".." in parts:
        raise _refuse(archive, name, "path with ..")
    if "\x00" in name:
        raise _refuse(archive, name, "NUL in name")
    return [p for p in parts if p not in ("", ".")]


def _copy_out(source: IO[bytes], target: Path, budget: _Budget, name: str) -> None:
    """Stream ``source`` into a new file (never an existing one, never through a link)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    try:
        fd = os.open(target, flags, 0o644)
    except FileExistsError:
        raise _refuse(budget.archive, name, "the name occurs twice") from None
    with os.fdopen(fd, "wb") as out:
        while chunk := source.read(_CHUNK):
            budget.spend(name, len(chunk))
            out.write(chunk)


class _HeaderMeter:
    """The decompressed tar stream; reads made for headers are charged to a budget first."""

    def __init__(self, inner: _Stream, archive: Path) -> None:
        self.inner, self.archive = inner, archive
        self.header_left = MAX_HEADER_BYTES
        self.in_data = False

    def read(self, size: int = -1, /) -> bytes:
        if not self.in_data:
            if size < 0 or size > self.header_left:
                raise InputError(f"tar headers larger than {MAX_HEADER_BYTES} bytes in all "
                                 "(long names or pax records)", location=Location(self.archive))
            self.header_left -= size
        elif size < 0 or size > _CHUNK:
            raise InputError("unbounded read of a tar member", location=Location(self.archive))
        return self.inner.read(size)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self.inner.seek(offset, whence)

    def tell(self) -> int:
        return self.inner.tell()

    def seekable(self) -> bool:
        return True

    def write(self, data: bytes, /) -> int:
        raise io.UnsupportedOperation("read-only")

    def close(self) -> None:
        """The decompressed stream is closed by whoever opened it."""


def _untar(budget: _Budget) -> None:
    with ExitStack() as stack:
        raw = stack.enter_context(budget.archive.open("rb"))
        meter = _HeaderMeter(stack.enter_context(_decompressed(raw)), budget.archive)
        tar = stack.enter_context(tarfile.open(fileobj=meter, mode="r:"))
        for member in tar:
            _untar_member(tar, meter, member, budget)


@contextmanager
def _decompressed(raw: IO[bytes]) -> Iterator[_Stream]:
    """The tar stream inside gzip, bzip2 or xz (by magic number), or the plain file."""
    magic = raw.read(6)
    raw.seek(0)
    if magic.startswith(b"\x1f\x8b"):
        with gzip.GzipFile(fileobj=raw, mode="rb") as gz:
            yield gz
    elif magic.startswith(b"BZh"):
        with bz2.BZ2File(raw, "rb") as bz:
            yield bz
    elif magic.startswith(b"\xfd7zXZ\x00"):
        with lzma.LZMAFile(raw, "rb") as xz:
            yield xz
    else:
        yield raw


def _untar_member(tar: tarfile.TarFile, meter: _HeaderMeter, member: tarfile.TarInfo,
                  budget: _Budget) -> None:
    name = member.name
    if member.issym() or member.islnk():
        raise _refuse(budget.archive, name, "links are not allowed in bundles")
    if member.type == tarfile.GNUTYPE_SPARSE or member.sparse is not None:
        raise _refuse(budget.archive, name, "sparse files are not allowed in bundles")
    if not (member.isreg() or member.isdir()):
        raise _refuse(budget.archive, name, "only regular files and folders")
    target = budget.admit(name, member.size, is_dir=member.isdir())
    if member.isdir():
        target.mkdir(parents=True, exist_ok=True)
        return
    meter.in_data = True
    try:
        source = tar.extractfile(member)
        assert source is not None  # a regular member always has a file object
        _copy_out(source, target, budget, name)
    finally:
        meter.in_data = False


def _unzip(budget: _Budget) -> None:
    with zipfile.ZipFile(budget.archive) as zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise InputError(f"archive has {len(infos)} members, more than {MAX_MEMBERS}",
                             location=Location(budget.archive))
        targets = [_admit_zip_member(info, budget) for info in infos]
        for info, target in zip(infos, targets, strict=True):
            if info.filename.endswith("/"):
                target.mkdir(parents=True, exist_ok=True)
                continue
            with zf.open(info) as source:
                _copy_out(source, target, budget, info.filename)


def _admit_zip_member(info: zipfile.ZipInfo, budget: _Budget) -> Path:
    name = info.filename
    mode = info.external_attr >> 16
    # no file-type bits (zipfile's writestr, DOS tools) means a regular file
    if stat.S_IFMT(mode) and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise _refuse(budget.archive, name, "only regular files and folders")
    if info.flag_bits & 0x1:
        raise _refuse(budget.archive, name, "encrypted members are not allowed")
    if info.compress_type not in _ZIP_METHODS:
        raise _refuse(budget.archive, name,
                      f"compression method {info.compress_type} (use deflate or none)")
    return budget.admit(name, info.file_size, is_dir=name.endswith("/"))


def _single_root(work: Path) -> Path:
    """A bundle archive may hold the bundle at its top or inside one folder."""
    if (work / "manifest.yaml").exists():
        return work
    entries = list(work.iterdir())
    if len(entries) == 1 and entries[0].is_dir() and (entries[0] / "manifest.yaml").exists():
        return entries[0]
    return work
