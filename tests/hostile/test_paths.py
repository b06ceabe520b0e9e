"""Hostile folder bundles: manifest paths, links out, special files, caps, tampering."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from p0gate.errors import EvidenceError
from p0gate.evidence.bundle import open_bundle
from tests.hostile.kit import CONTROLS, GOOD_CSV, MARK, bundle, entry, evaluate, refused


@pytest.mark.parametrize(
    "path",
    [
        "../latency.csv",
        "/etc/passwd",
        "a/../../latency.csv",
        "..",
        "",
        "C:/x.csv",
        "c:x.csv",
        "a\\..\\latency.csv",
        "latency.csv\x00.txt",
        "/",
        "//server/share/x.csv",
        "./../x.csv",
    ],
)
def test_manifest_paths_that_leave_the_bundle(
    path: str, work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = bundle(work, {"latency.csv": GOOD_CSV}, [entry(path, GOOD_CSV)])
    got = evaluate(capsys, work, folder)
    refused(got, work=work)
    assert got.code == 3


@pytest.mark.parametrize(
    "target",
    ["/etc/passwd", "/dev/zero", "/dev/null", "/proc/self/environ", "../outside.csv", "/tmp"],
)
def test_links_out_of_the_bundle(
    target: str, work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "outside.csv").write_bytes(GOOD_CSV)
    folder = bundle(work, {}, [entry("latency.csv", GOOD_CSV)])
    (folder / "latency.csv").symlink_to(target)
    refused(evaluate(capsys, work, folder), work=work)


def test_link_to_a_folder_out_of_the_bundle(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "elsewhere").mkdir()
    (work / "elsewhere" / "latency.csv").write_bytes(GOOD_CSV)
    folder = bundle(work, {}, [entry("d/latency.csv", GOOD_CSV)])
    (folder / "d").symlink_to(work / "elsewhere")
    refused(evaluate(capsys, work, folder), work=work)


def test_hard_link_is_read_as_the_sealed_bytes(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hard link cannot be told from a file; its bytes must still match the seal."""
    (work / "outside.csv").write_bytes(b"latency_ms\n5000\n")
    folder = bundle(work, {}, [entry("latency.csv", GOOD_CSV)])
    os.link(work / "outside.csv", folder / "latency.csv")
    refused(evaluate(capsys, work, folder), work=work)


@pytest.mark.parametrize("special", ["fifo", "folder", "missing", "socketlike"])
def test_special_files(special: str, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = bundle(work, {}, [entry("latency.csv", GOOD_CSV)])
    target = folder / "latency.csv"
    if special == "fifo":
        os.mkfifo(target)
    elif special == "folder":
        target.mkdir()
    elif special == "socketlike":
        target.symlink_to(target)  # a loop
    refused(evaluate(capsys, work, folder), work=work)


@pytest.mark.parametrize("change", ["sha", "bytes", "size", "unsealed", "truncated", "appended"])
def test_tampered_artifacts(change: str, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    item = entry("latency.csv", GOOD_CSV)
    data = GOOD_CSV
    if change == "sha":
        item["sha256"] = "0" * 64
    elif change == "bytes":
        data = GOOD_CSV.replace(b"30", b"31")
    elif change == "size":
        item["size"] = len(GOOD_CSV) + 1
    elif change == "unsealed":
        del item["sha256"]
    elif change == "truncated":
        data = GOOD_CSV[:-3]
    else:
        data = GOOD_CSV + b"9999\n"
    folder = bundle(work, {"latency.csv": data}, [item])
    got = evaluate(capsys, work, folder)
    refused(got, work=work)
    assert got.code == 3 or all(got.outcome(c) == "error" for c in CONTROLS)


@pytest.mark.parametrize("cap", [1, 10, len(GOOD_CSV) - 1])
def test_artifacts_over_the_configured_cap(cap: int, tmp_path: Path) -> None:
    folder = bundle(tmp_path, {"latency.csv": GOOD_CSV})
    with (
        open_bundle(folder, max_artifact_bytes=cap) as opened,
        pytest.raises(EvidenceError, match="cap"),
    ):
        opened.blob(opened.manifest.artifacts[0])


def test_the_cap_admits_an_artifact_of_exactly_its_size(tmp_path: Path) -> None:
    folder = bundle(tmp_path, {"latency.csv": GOOD_CSV})
    with open_bundle(folder, max_artifact_bytes=len(GOOD_CSV)) as opened:
        assert opened.blob(opened.manifest.artifacts[0]).data == GOOD_CSV


@pytest.mark.parametrize("name", ["manifest.yaml", f"../{MARK}/manifest.yaml"])
def test_missing_or_escaping_manifest(
    name: str, work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "empty").mkdir()
    got = evaluate(capsys, work, work / "empty" / name if "/" in name else work / "empty")
    refused(got, work=work)
    assert got.code == 3
