"""The shared option groups and the settings the CLI takes from the environment."""

from pathlib import Path

import pytest

from p0gate.cli import run
from tests.conftest import EXAMPLES, NOW_ISO


def test_the_cli_takes_the_folder_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    from p0gate.cli.common import cache_dir

    monkeypatch.setenv("P0GATE_CACHE_DIR", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    monkeypatch.setenv("P0GATE_CACHE_DIR", "")
    assert cache_dir() is None
    monkeypatch.delenv("P0GATE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "p0gate"


def test_the_evaluation_inputs_need_their_bundle(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["verify", "r.pdf", "--policies", "p"]) == 2
    assert "need --evidence" in capsys.readouterr().err
    assert run(["evaluate", "--policies", "p"]) == 2
    assert "--evidence" in capsys.readouterr().err


def test_one_signing_identity_at_a_time(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["report", "r.json", "--report", f"pdf={tmp_path}/r.pdf", "--pkcs12", "a.p12",
            "--key", "k.pem"]
    assert run(args) == 2 and "not both" in capsys.readouterr().err


def test_now_is_checked_before_any_work(capsys: pytest.CaptureFixture[str]) -> None:
    bundle = str(EXAMPLES / "beta-go")
    assert run(["evaluate", "--evidence", bundle, "--now", NOW_ISO[:-1]]) == 2
    assert "no timezone" in capsys.readouterr().err


def test_the_sarif_root_defaults_to_the_git_top_level(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    from p0gate.cli.common import sarif_root
    from tests.conftest import ROOT

    monkeypatch.chdir(ROOT / "policies")
    assert sarif_root(None).resolve() == ROOT.resolve()
    assert sarif_root(tmp_path) == tmp_path
    monkeypatch.chdir(tmp_path)  # not a repository: the folder itself
    assert sarif_root(None) == tmp_path


def test_a_spinner_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from p0gate.cli.common import spinner

    with spinner() as step:
        assert step is None  # pytest captures stderr: a CI log
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with spinner() as step:
        assert step is not None
        step("signing pdf report r.pdf")


def test_epilog_lists_examples_then_exit_codes() -> None:
    from p0gate.cli.common import epilog

    text = epilog("p0gate validate policies", codes="Exit codes: 0 fine.")
    assert text.startswith("\b\nExamples:\n  p0gate validate policies")
    assert text.endswith("Exit codes: 0 fine.")
