from pathlib import Path

import pytest

from p0gate import caching


@pytest.fixture(autouse=True)
def restore() -> object:
    before = caching.CACHE_DIR
    yield None
    caching.CACHE_DIR = before


def test_unset_means_no_cache() -> None:
    caching.CACHE_DIR = None
    assert caching.private_dir() is None


def test_created_private(tmp_path: Path) -> None:
    caching.CACHE_DIR = tmp_path / "a" / "p0gate"
    found = caching.private_dir()
    assert found == tmp_path / "a" / "p0gate"
    assert found.stat().st_mode & 0o777 == 0o700


def test_a_folder_others_can_write_is_not_used(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    caching.CACHE_DIR = shared
    assert caching.private_dir() is None


def test_a_file_in_the_way_is_not_used(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    caching.CACHE_DIR = blocker
    assert caching.private_dir() is None


def test_the_cli_takes_the_folder_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    from p0gate.cli import run

    monkeypatch.setenv("P0GATE_CACHE_DIR", str(tmp_path / "c"))
    assert run(["schema", "bundle"]) == 0
    assert tmp_path / "c" == caching.CACHE_DIR
    monkeypatch.setenv("P0GATE_CACHE_DIR", "")
    assert run(["schema", "bundle"]) == 0
    assert caching.CACHE_DIR is None
