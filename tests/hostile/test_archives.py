"""Hostile archives: traversal names, absolute paths, links, devices, size caps, junk."""

from __future__ import annotations

import io
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from p0gate.errors import InputError
from p0gate.evidence.archive import unpacked
from tests.hostile.kit import GOOD_CSV, MARK, entry, evaluate, manifest_text, refused

MANIFEST = manifest_text([entry("latency.csv", GOOD_CSV)]).encode()
BAD_NAMES = [
    f"../{MARK}",
    f"../../{MARK}",
    f"b/../../{MARK}",
    f"/tmp/{MARK}",
    f"//tmp/{MARK}",
    f"..\\{MARK}",
    f"\\tmp\\{MARK}",
    f"C:/{MARK}",
    f"C:\\{MARK}",
    f"b/./../../{MARK}",
    f"./../{MARK}",
    f"b/c/../../../{MARK}",
]


def _tar(path: Path, extra: list[tarfile.TarInfo], data: bytes = b"x") -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, body in (("manifest.yaml", MANIFEST), ("latency.csv", GOOD_CSV)):
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
        for info in extra:
            tar.addfile(info, io.BytesIO(data) if info.isfile() else None)
    return path


def _member(
    name: str, kind: bytes = tarfile.REGTYPE, *, link: str = "", size: int = 1
) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    info.size = size if kind == tarfile.REGTYPE else 0
    return info


def _zip(path: Path, name: str, *, mode: int | None = None, body: bytes = b"x") -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("manifest.yaml", MANIFEST)
        zf.writestr("latency.csv", GOOD_CSV)
        info = zipfile.ZipInfo(name)
        if mode is not None:
            info.external_attr = mode << 16
        zf.writestr(info, body)
    return path


@pytest.mark.parametrize("name", BAD_NAMES)
def test_tar_traversal_names(name: str, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = _tar(work / "b.tar.gz", [_member(name)])
    got = evaluate(capsys, work, archive)
    refused(got, work=work)
    assert got.code == 3 and "refused" in got.err


@pytest.mark.parametrize("name", BAD_NAMES)
def test_zip_traversal_names(name: str, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    got = evaluate(capsys, work, _zip(work / "b.zip", name))
    refused(got, work=work)
    assert got.code == 3 and "refused" in got.err


@pytest.mark.parametrize("fmt", ["tar", "zip"])
def test_clean_archives_are_accepted(
    fmt: str, work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The control case: without the hostile member the same archive evaluates GO."""
    archive = _tar(work / "b.tar.gz", []) if fmt == "tar" else _zip(work / "b.zip", "note.txt")
    assert evaluate(capsys, work, archive).code == 0


@pytest.mark.parametrize(
    "kind, link",
    [
        (tarfile.SYMTYPE, "/etc/passwd"),
        (tarfile.SYMTYPE, f"../{MARK}"),
        (tarfile.SYMTYPE, "/"),
        (tarfile.SYMTYPE, "latency.csv"),
        (tarfile.LNKTYPE, "/etc/passwd"),
        (tarfile.LNKTYPE, f"../{MARK}"),
        (tarfile.LNKTYPE, "latency.csv"),
        (tarfile.CHRTYPE, ""),
        (tarfile.BLKTYPE, ""),
        (tarfile.FIFOTYPE, ""),
    ],
)
def test_tar_links_and_devices(
    kind: bytes, link: str, work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = _tar(work / "b.tar.gz", [_member("evil", kind, link=link)])
    refused(evaluate(capsys, work, archive), work=work)


def test_tar_symlink_then_write_through_it(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    members = [_member("d", tarfile.SYMTYPE, link="/tmp"), _member(f"d/{MARK}")]
    refused(evaluate(capsys, work, _tar(work / "b.tar.gz", members)), work=work)


@pytest.mark.parametrize(
    "mode",
    [
        stat.S_IFLNK | 0o777,
        stat.S_IFCHR | 0o644,
        stat.S_IFBLK | 0o644,
        stat.S_IFIFO | 0o644,
        stat.S_IFSOCK | 0o644,
    ],
)
def test_zip_special_members(mode: int, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = _zip(work / "b.zip", "evil", mode=mode, body=b"/etc/passwd")
    refused(evaluate(capsys, work, archive), work=work)


@pytest.mark.parametrize("fmt", ["tar", "zip"])
def test_unpacked_size_cap(fmt: str, tmp_path: Path) -> None:
    body = b"0" * 10_000
    if fmt == "tar":
        archive = _tar(tmp_path / "b.tar.gz", [_member("big", size=len(body))], data=body)
    else:
        archive = _zip(tmp_path / "b.zip", "big", body=body)
    with (
        pytest.raises(InputError, match=r"bytes unpacked|too large"),
        unpacked(archive, max_bytes=5_000),
    ):
        pass


def test_zip_bomb_is_capped_while_extracting(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.yaml", MANIFEST)
        zf.writestr("zeros", b"\0" * 5_000_000)
    with pytest.raises(InputError), unpacked(archive, max_bytes=1_000_000):
        pass


@pytest.mark.parametrize(
    "junk",
    [
        b"",
        b"\x1f\x8b\x08\x00garbage",
        b"PK\x03\x04" + b"\xff" * 200,
        b"\x00" * 1024,
        b"not an archive at all",
    ],
)
@pytest.mark.parametrize("suffix", [".tar.gz", ".zip", ".tgz", ".tar"])
def test_junk_archives(
    junk: bytes, suffix: str, work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = work / f"junk{suffix}"
    archive.write_bytes(junk)
    got = evaluate(capsys, work, archive)
    refused(got, work=work)
    assert got.code == 3


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    parts=st.lists(
        st.sampled_from(["..", ".", "a", "", "/", "\\", "C:", MARK]), min_size=1, max_size=6
    )
)
def test_fuzzed_member_names_never_escape(parts: list[str], tmp_path: Path) -> None:
    name = "/".join(parts) + f"/{MARK}"
    archive = _zip(tmp_path / "f.zip", name)
    try:
        with unpacked(archive, max_bytes=1_000_000) as root:
            for path in root.rglob("*"):
                assert path.resolve().is_relative_to(root.parent.resolve())
    except InputError:
        pass
    assert not list(Path("/tmp").glob(f"*{MARK}*"))
    assert not list(tmp_path.glob(f"*{MARK}*"))
