"""Sealed folders: exactly the listed files, each matching its digest, no links; files that
change while they are read are caught."""

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from p0gate.errors import EvidenceError
from p0gate.evidence.folders import listing_digest, scan, verify_files

DATA = Path(__file__).resolve().parents[1] / "data" / "dataset"


def sealed() -> list[tuple[str, str]]:
    lines = (DATA / "SHA256SUMS").read_text().splitlines()
    return [(rel, digest) for digest, rel in (line.split("  ") for line in lines)]


def copy(tmp_path: Path) -> Path:
    shutil.copytree(DATA / "crisis", tmp_path / "crisis")
    return tmp_path


def test_scan_lists_what_the_sums_file_lists() -> None:
    listed = scan(DATA, "crisis", "lake")
    assert [(p, d) for p, d, _ in listed] == sorted(sealed())
    assert all(n == (DATA / "crisis" / p).stat().st_size for p, _, n in listed)


def test_the_sealed_hive_dataset_verifies() -> None:
    verified = verify_files(DATA, "crisis", sealed(), "artifact 'lake'")
    assert len(verified.paths) == 3 and verified.size == sum(p.stat().st_size
                                                              for p in verified.paths)
    verified.still_unchanged("lake")


@pytest.mark.parametrize(("change", "needle"), [
    (lambda root: (root / "crisis" / "extra.parquet").write_bytes(b"x"), r"extra \['extra"),
    (lambda root: next((root / "crisis").rglob("*.parquet")).unlink(), r"missing \['day="),
    (lambda root: next((root / "crisis").rglob("*.parquet")).write_bytes(b"PAR1"),
     "sha256 mismatch"),
    (lambda root: (root / "crisis" / "linked").symlink_to(root / "crisis" / "day=2025-10-01"),
     r"extra \['linked'\]"),
])
def test_extra_missing_changed_or_linked_files_are_refused(tmp_path: Path, change: object,
                                                           needle: str) -> None:
    root = copy(tmp_path)
    change(root)  # type: ignore[operator]
    with pytest.raises(EvidenceError, match=needle):
        verify_files(root, "crisis", sealed(), "lake")


def test_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    root = copy(tmp_path)
    first = sorted((root / "crisis").rglob("*.parquet"))[0]
    target = tmp_path / "elsewhere.parquet"
    shutil.move(first, target)
    first.symlink_to(target)
    with pytest.raises(EvidenceError, match="not a regular file"):
        verify_files(root, "crisis", sealed(), "lake")
    with pytest.raises(EvidenceError, match="not a regular file"):
        scan(root, "crisis", "lake")


def test_a_folder_outside_the_bundle_or_a_linked_folder_is_refused(tmp_path: Path) -> None:
    root = copy(tmp_path / "b")
    (root / "alias").symlink_to(root / "crisis")
    shutil.copytree(DATA / "crisis", tmp_path / "outside")
    for folder in ("../outside", "alias", "nowhere"):
        with pytest.raises(EvidenceError, match="not a folder inside the bundle"):
            verify_files(root, folder, sealed(), "lake")


def test_a_file_changed_after_hashing_is_caught(tmp_path: Path) -> None:
    root = copy(tmp_path)
    verified = verify_files(root, "crisis", sealed(), "lake")
    os.utime(verified.paths[0], ns=(1, 1))
    with pytest.raises(EvidenceError, match="changed while it was being read"):
        verified.still_unchanged("lake")


@given(st.lists(st.tuples(st.text(min_size=1, max_size=8), st.text(max_size=4),
                          st.integers(0, 10**9)), max_size=6))
def test_the_listing_digest_ignores_order_only(files: list[tuple[str, str, int]]) -> None:
    assert listing_digest(files) == listing_digest(list(reversed(files)))
    if files:
        changed = [(files[0][0], files[0][1] + "x", files[0][2]), *files[1:]]
        assert listing_digest(changed) != listing_digest(files)
