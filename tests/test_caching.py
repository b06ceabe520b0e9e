"""The private cache folder: chosen by the CLI from the environment, used only when safe."""

import os
import subprocess
import sys
from pathlib import Path

from p0gate import caching
from tests.conftest import POLICIES


def test_none_means_no_cache() -> None:
    assert caching.private_dir(None) is None


def test_created_private(tmp_path: Path) -> None:
    found = caching.private_dir(tmp_path / "a" / "p0gate")
    assert found == tmp_path / "a" / "p0gate"
    assert found.stat().st_mode & 0o777 == 0o700


def test_a_folder_others_can_write_is_not_used(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    assert caching.private_dir(shared) is None


def test_a_file_in_the_way_is_not_used(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert caching.private_dir(blocker) is None


def test_the_folder_travels_in_the_validation_context(tmp_path: Path) -> None:
    assert caching.from_context({caching.CONTEXT_KEY: tmp_path}) == tmp_path
    assert caching.from_context(None) is None and caching.from_context({}) is None


def _validate(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "p0gate", "validate", str(POLICIES)],
                   env={**os.environ, **env}, check=True, capture_output=True)


def test_validate_keeps_the_cel_parser_in_the_chosen_folder_only(tmp_path: Path) -> None:
    home = {"HOME": str(tmp_path / "home"), "XDG_CACHE_HOME": ""}
    _validate({**home, "P0GATE_CACHE_DIR": str(tmp_path / "c")})
    assert [p.name.startswith("cel-parser-lark-") for p in (tmp_path / "c").iterdir()] == [True]
    _validate({**home, "P0GATE_CACHE_DIR": ""})
    assert not (tmp_path / "home").exists()
