"""The shared option groups and the settings the CLI takes from the environment."""

import json
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


HOSTILE = "[red]x[/red][link=https://evil.example]y[/link]:smile:\x1b[2J\u202e"


def _clean(text: str) -> None:
    assert "\x1b" not in text and "\u202e" not in text, repr(text)


def test_an_error_naming_user_text_prints_it_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / HOSTILE
    assert run(["evaluate", "--evidence", str(missing), "--now", NOW_ISO]) == 3
    err = capsys.readouterr().err
    assert "[red]x[/red][link=https:/evil.example]y[/link]:smile:\\x1b[2J\\u202e" in err
    _clean(err)  # (the path folds the //)


def test_click_usage_errors_show_control_characters_as_escapes(
    capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["evaluate", "--evidence", "b", "--phase", HOSTILE]) == 2
    err = capsys.readouterr().err
    assert "\\x1b[2J" in err
    _clean(err)


def test_ledger_rows_print_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import UTC, datetime

    from p0gate.ledger import Ledger
    from tests.test_ledger import result

    url = f"sqlite:///{tmp_path / 'l.db'}"
    book = Ledger.open(url)
    forged = result().model_copy(update={"bundle": result().bundle.model_copy(
        update={"metadata": {"system": HOSTILE, "version": "[/]"}})})
    book.append(forged, recorded_at=datetime(2025, 10, 1, tzinfo=UTC))
    book.close()
    for command in (["ledger", "list"], ["ledger", "show", "1"]):
        assert run([*command, "--ledger", url]) == 0
        out = capsys.readouterr().out
        assert "[red]x[/red][link=https://evil.example]y[/link]:smile:" in out and "[/]" in out
        _clean(out)


def test_a_pack_and_bundle_full_of_markup_evaluate_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Control titles, messages, paths and values with brackets, emoji codes and escapes:
    the table, the headline and the errors show them as written."""
    from tests.bundlekit import File, make_bundle

    pack = tmp_path / "pack"
    pack.mkdir()
    title = HOSTILE.replace("\\", "").replace('"', "")
    (pack / "p.yaml").write_text(
        "apiVersion: p0gate/v1\nkind: PolicySet\nmetadata: {name: '[b]n[/b]', authority: "
        "performance}\ncontrols:\n  - id: PF-1-X\n    title: " + json.dumps(title) +
        "\n    severity: high\n    blocking: true\n    phases: [beta]\n    check: {type: "
        "statistic, artifact: lat, stat: p99, le: 1000}\n")
    path = "[red]dir[/red]/[link=x]l[/link].csv"
    make_bundle(tmp_path / "b", [File("lat", "latency-samples", path, b"latency_ms\n1\n")],
                system=HOSTILE, phase="beta")
    (tmp_path / "b" / path).write_bytes(b"latency_ms\n2\n")  # tampered: the message names it
    code = run(["evaluate", "--evidence", str(tmp_path / "b"), "--policies", str(pack),
                "--now", NOW_ISO, "--report", f"json={tmp_path / 'r.json'}"])
    got = capsys.readouterr()
    assert code == 1
    assert "[red]x[/red][link=https://evil.example]y[/link]:smile:" in got.out
    _clean(got.out + got.err)
    message = json.loads((tmp_path / "r.json").read_text())["controls"][0]["message"]
    assert path in message and "sha256 mismatch" in message
