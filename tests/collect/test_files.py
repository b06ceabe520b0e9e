"""Files other tools wrote, copied into the bundle by glob, byte for byte."""

from pathlib import Path

import pytest

from p0gate.collect.files import copy_files, matching
from p0gate.errors import EvidenceError


def tree(base: Path) -> Path:
    for rel in ("ci/a/pytest.xml", "ci/b/jest.xml", "ci/b/notes.txt", "other/x.xml"):
        (base / rel).parent.mkdir(parents=True, exist_ok=True)
        (base / rel).write_text(f"<{rel}/>")
    return base


def test_a_glob_matches_regular_files_in_order(tmp_path: Path) -> None:
    base = tree(tmp_path)
    (base / "ci" / "c.xml").symlink_to(base / "other" / "x.xml")
    found = matching(base, "ci/**/*.xml")
    assert [p.relative_to(base).as_posix() for p in found] == ["ci/a/pytest.xml",
                                                               "ci/b/jest.xml"]


def test_several_matches_become_numbered_ids_and_keep_their_bytes(tmp_path: Path) -> None:
    base, out = tree(tmp_path / "w"), tmp_path / "out"
    copied = copy_files(base, "ci/**/*.xml", out, "unit-tests")
    assert copied == [("unit-tests.1", "unit-tests/ci/a/pytest.xml"),
                      ("unit-tests.2", "unit-tests/ci/b/jest.xml")]
    assert (out / "unit-tests/ci/b/jest.xml").read_text() == "<ci/b/jest.xml/>"
    assert copy_files(base, "other/x.xml", out, "one") == [("one", "one/other/x.xml")]


@pytest.mark.parametrize(("pattern", "needle"), [
    ("nothing/*.xml", "nothing matches"),
    ("/etc/*", "relative glob"),
    ("../*", "relative glob"),
])
def test_a_glob_that_selects_nothing_or_leaves_the_folder_is_an_error(
        tmp_path: Path, pattern: str, needle: str) -> None:
    with pytest.raises(EvidenceError, match=needle):
        matching(tree(tmp_path), pattern)
