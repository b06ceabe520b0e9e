"""Bundles as .tar.gz and .zip: unpacked safely, into a folder removed afterwards."""

import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from p0gate.errors import InputError
from p0gate.evidence.archive import is_archive
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
