"""Pack files: what checks read from the pack is loaded once, while the pack loads."""

from pathlib import Path

import pytest

from p0gate.checks.pack_files import PackFiles, PackFolder
from p0gate.errors import InputError
from p0gate.policy import load_pack
from tests.bundlekit import write_keypair, write_trust
from tests.conftest import POLICIES

LEXICON = "lexicons/safe-messaging.yaml"


def test_each_file_is_loaded_once() -> None:
    folder = PackFolder(POLICIES)
    assert folder.lexicon(LEXICON) is folder.lexicon(LEXICON)
    assert folder.trust() is folder.trust()
    assert folder.trust_dir == POLICIES / "trust"


def test_the_loaded_files_are_a_read_only_snapshot() -> None:
    folder = PackFolder(POLICIES)
    folder.lexicon(LEXICON)
    files = folder.files()
    assert list(files.lexicons) == [LEXICON] and files.trust_store is None
    with pytest.raises(TypeError):
        files.lexicons["other"] = files.lexicons[LEXICON]  # type: ignore[index]


def test_a_pack_without_a_trust_store_has_none_to_give() -> None:
    with pytest.raises(LookupError, match="no trust store"):
        _ = PackFiles().trust


def test_another_trust_folder_replaces_the_packs(tmp_path: Path) -> None:
    write_keypair(tmp_path, "k")
    write_trust(tmp_path, [("K", ["clinical-authority"], "k.pub.pem")])
    assert [k.name for k in PackFolder(POLICIES, tmp_path).trust().keys.values()] == ["K"]
    with pytest.raises(InputError, match="no trust store"):
        PackFolder(POLICIES, tmp_path / "absent").trust()


def test_the_pack_holds_what_its_checks_read() -> None:
    pack = load_pack(POLICIES)
    assert LEXICON in pack.files.lexicons
    assert pack.files.trust.folder == POLICIES / "trust" and pack.files.trust.keys
