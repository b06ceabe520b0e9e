"""Unpacking archives: bombs stay within 256 MiB of memory, real tar output unpacks, junk and
odd members are refused with an InputError (never another exception).

The bombs are real: about 1 MB on disk, built here (concatenated gzip members, one deflate
stream), each of which a naive reader turns into far more than 256 MiB of memory. Memory is
measured with tracemalloc (every Python allocation, the decompressors' buffers included).
"""

from __future__ import annotations

import gzip
import io
import re
import subprocess
import tarfile
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from p0gate.errors import InputError
from p0gate.evidence.archive import MAX_MEMBERS, is_archive, unpacked
from p0gate.evidence.bundle import open_bundle
from tests.bundlekit import File, make_bundle


def test_archives_are_known_by_their_suffix() -> None:
    assert all(is_archive(Path(n)) for n in ("b.tar.gz", "B.TGZ", "b.tar", "b.zip"))
    assert not is_archive(Path("b.rar")) and not is_archive(Path("bundle"))


def _archive_bundle(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    make_bundle(src, [File("a", "document", "a.txt", b"hello")])
    return src


def test_tar_and_zip_bundles_open(tmp_path: Path) -> None:
    src = _archive_bundle(tmp_path)
    tgz = tmp_path / "b.tar.gz"
    with tarfile.open(tgz, "w:gz") as tar:
        tar.add(src, arcname="bundle")
    zpath = tmp_path / "b.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for f in src.rglob("*"):
            zf.write(f, f.relative_to(src).as_posix())
    for archive in (tgz, zpath):
        with open_bundle(archive) as bundle:
            assert bundle.blob(bundle.manifest.artifacts[0]).data == b"hello"
            workdir = bundle.root
        assert not workdir.exists()


def _tar_with(tmp_path: Path, info: tarfile.TarInfo, data: bytes = b"") -> Path:
    path = tmp_path / "evil.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        tar.addfile(info, io.BytesIO(data) if data else None)
    return path


@pytest.mark.parametrize(("name", "kind", "needle"), [
    ("../escape.txt", tarfile.REGTYPE, ".."),
    ("/abs.txt", tarfile.REGTYPE, "absolute"),
    ("link", tarfile.SYMTYPE, "links"),
    ("hard", tarfile.LNKTYPE, "links"),
    ("dev", tarfile.CHRTYPE, "regular files"),
    ("fifo", tarfile.FIFOTYPE, "regular files"),
])
def test_hostile_tar_members(tmp_path: Path, name: str, kind: bytes, needle: str) -> None:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = "/etc/passwd"
    data = b"x" if kind == tarfile.REGTYPE else b""
    info.size = len(data)
    with pytest.raises(InputError, match=needle), open_bundle(_tar_with(tmp_path, info, data)):
        pass
    assert not (tmp_path.parent / "escape.txt").exists()


def test_hostile_zip_member(tmp_path: Path) -> None:
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("../../escape.txt", b"x")
    with pytest.raises(InputError, match=r"\.\."), open_bundle(path):
        pass


def test_not_an_archive(tmp_path: Path) -> None:
    junk = tmp_path / "bundle.tar.gz"
    junk.write_bytes(b"not a tarball")
    with pytest.raises(InputError, match="cannot unpack"), open_bundle(junk):
        pass
    other = tmp_path / "bundle.rar"
    other.write_bytes(b"x")
    with pytest.raises(InputError, match=r"folder, a \.tar\.gz or a \.zip"), open_bundle(other):
        pass


MiB = 1024**2
MEMORY_LIMIT = 256 * MiB
ARCHIVE_SIZE = 1024**2  # "a 1 MB archive"
ZEROS_16M = gzip.compress(b"\0" * (16 * MiB), compresslevel=9)
MANIFEST = b"apiVersion: p0gate/v1\n"


def _peak_memory(action: Callable[[], None]) -> int:
    """Peak bytes allocated by Python (and the C libraries through it) during ``action``."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _header(name: str, kind: bytes, size: int) -> bytes:
    info = tarfile.TarInfo(name)
    info.type, info.size = kind, size
    return info.tobuf(format=tarfile.GNU_FORMAT)


def _gz_bomb(path: Path, head: bytes, zero_members: int) -> Path:
    """``head`` then ``zero_members`` × 16 MiB of zeros, as concatenated gzip members."""
    path.write_bytes(gzip.compress(head) + ZEROS_16M * zero_members)
    return path


def _refused_within_memory(archive: Path, match: str) -> None:
    assert archive.stat().st_size <= ARCHIVE_SIZE
    refusals: list[str] = []

    def attempt() -> None:
        try:
            with unpacked(archive, max_bytes=8 * 1024**3):
                pass
        except InputError as exc:
            refusals.append(str(exc))

    peak = _peak_memory(attempt)
    assert peak < MEMORY_LIMIT, f"{peak / MiB:.0f} MiB used"
    assert len(refusals) == 1 and re.search(match, refusals[0]), refusals


@pytest.mark.parametrize("kind", [tarfile.XHDTYPE, tarfile.GNUTYPE_LONGNAME])
def test_a_gigabyte_pax_or_long_name_header_is_refused_before_it_is_read(
    kind: bytes, tmp_path: Path
) -> None:
    """tarfile reads such a header in one piece: the budget is checked before that read."""
    bomb = _gz_bomb(tmp_path / "header.tar.gz", _header("h", kind, 1024 * MiB), 64)
    _refused_within_memory(bomb, "tar headers larger than")


def test_millions_of_members_stop_at_the_member_cap(tmp_path: Path) -> None:
    block = _header("d", tarfile.DIRTYPE, 0)
    per_member = gzip.compress(block * 32768, compresslevel=9)  # 16 MiB of headers
    bomb = tmp_path / "members.tar.gz"
    bomb.write_bytes(per_member * 14)  # 458,752 directory members
    _refused_within_memory(bomb, f"more than {MAX_MEMBERS}")


def test_a_deflate_bomb_is_streamed_to_disk_not_to_memory(tmp_path: Path) -> None:
    bomb = tmp_path / "zeros.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("manifest.yaml", MANIFEST)
        with zf.open("zeros.bin", "w") as out:
            for _ in range(300):
                out.write(b"\0" * MiB)
    assert bomb.stat().st_size <= ARCHIVE_SIZE
    sizes: list[int] = []

    def unpack() -> None:
        with unpacked(bomb, max_bytes=2 * 1024**3) as root:
            sizes.append((root / "zeros.bin").stat().st_size)

    assert _peak_memory(unpack) < MEMORY_LIMIT
    assert sizes == [300 * MiB]


def test_a_deflate_bomb_over_the_cap_is_stopped(tmp_path: Path) -> None:
    bomb = tmp_path / "zeros.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for n in range(3):
            zf.writestr(f"zeros{n}.bin", b"\0" * (4 * MiB))
    with pytest.raises(InputError, match="bytes unpacked"), unpacked(bomb, max_bytes=10 * MiB):
        pass


def test_bzip2_and_lzma_zip_members_are_refused(tmp_path: Path) -> None:
    """Their decompressors have no output bound per read: not accepted in bundles."""
    for method in (zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA):
        archive = tmp_path / f"m{method}.zip"
        with zipfile.ZipFile(archive, "w", compression=method) as zf:
            zf.writestr("manifest.yaml", MANIFEST)
        with pytest.raises(InputError, match="compression method"), unpacked(
            archive, max_bytes=MiB
        ):
            pass


def test_encrypted_zip_members_are_refused(tmp_path: Path) -> None:
    archive = tmp_path / "enc.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("manifest.yaml", MANIFEST)
    data = bytearray(archive.read_bytes())
    for offset in (6, data.rindex(b"PK\x01\x02") + 8):  # general purpose flag, bit 0
        data[offset] |= 0x01
    archive.write_bytes(bytes(data))
    with pytest.raises(InputError, match="encrypted"), unpacked(archive, max_bytes=MiB):
        pass


def _tar_of(path: Path, members: list[tuple[tarfile.TarInfo, bytes]]) -> Path:
    with tarfile.open(path, "w:gz", format=tarfile.GNU_FORMAT) as tar:
        for info, body in members:
            info.size = len(body) if info.isreg() else 0
            tar.addfile(info, io.BytesIO(body) if info.isreg() else None)
    return path


def test_a_name_that_occurs_twice_is_refused(tmp_path: Path) -> None:
    twice = [(tarfile.TarInfo("manifest.yaml"), MANIFEST), (tarfile.TarInfo("a"), b"1"),
             (tarfile.TarInfo("./a"), b"2")]
    with pytest.raises(InputError, match="occurs twice"), unpacked(
        _tar_of(tmp_path / "t.tar.gz", twice), max_bytes=MiB
    ):
        pass


def test_sparse_members_are_refused(tmp_path: Path) -> None:
    sparse = tarfile.TarInfo("holes")
    sparse.type = tarfile.GNUTYPE_SPARSE
    archive = tmp_path / "s.tar"
    archive.write_bytes(sparse.tobuf(format=tarfile.GNU_FORMAT) + b"\0" * 1024)
    with pytest.raises(InputError, match="sparse"), unpacked(archive, max_bytes=MiB):
        pass


@pytest.mark.parametrize("fmt", ["gnu", "posix", "ustar"])
@pytest.mark.parametrize("flag", ["-z", "-j", "-J", ""])
def test_archives_written_by_gnu_tar_unpack_exactly(fmt: str, flag: str, tmp_path: Path) -> None:
    src = tmp_path / "bundle"
    deep = src / "evidence" / ("long-folder-name-" * 4) / "x"
    deep.mkdir(parents=True)
    (src / "manifest.yaml").write_bytes(MANIFEST)
    (deep / "latency.csv").write_bytes(b"latency_ms\n10\n")
    archive = tmp_path / "bundle.tar"
    if fmt == "ustar":
        (deep / "latency.csv").rename(src / "latency.csv")
    subprocess.run(["tar", f"--format={fmt}", *([flag] if flag else []), "-cf", str(archive),
                    "-C", str(tmp_path), "bundle"], check=True)
    with unpacked(archive, max_bytes=MiB) as root:
        found = {p.relative_to(root).as_posix(): p.read_bytes()
                 for p in root.rglob("*") if p.is_file()}
    expected = {p.relative_to(src).as_posix(): p.read_bytes()
                for p in src.rglob("*") if p.is_file()}
    assert found == expected and "manifest.yaml" in found


def test_a_member_declaring_an_enormous_size_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "huge.tar"
    archive.write_bytes(_header("big", tarfile.REGTYPE, 2**80) + b"\0" * 1024)  # base-256 size
    with pytest.raises(InputError, match="bytes unpacked"), unpacked(archive, max_bytes=MiB):
        pass


@pytest.mark.parametrize("size", ["nan", "inf", "-1", "1e400", "9" * 5000, "0x10"])
def test_odd_pax_sizes_never_crash(size: str, tmp_path: Path) -> None:
    info = tarfile.TarInfo("manifest.yaml")
    info.size = len(MANIFEST)
    info.pax_headers = {"size": size}
    archive = tmp_path / "pax.tar"
    with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tar:
        tar.addfile(info, io.BytesIO(MANIFEST))
    try:
        with unpacked(archive, max_bytes=MiB) as root:
            assert (root / "manifest.yaml").read_bytes() in (MANIFEST, b"")
    except InputError:
        pass
