"""`evaluate --ledger` and `ledger list|show|verify` through the real CLI (SQLite and, when
one runs, PostgreSQL)."""

from pathlib import Path

import pytest

from p0gate.cli import run
from tests.conftest import EXAMPLES, GO_BUNDLE, NOW_ISO, POLICIES
from tests.test_ledger import _sql, url

__all__ = ["url"]  # the parametrised ledger URL fixture


def test_cli_evaluate_records_and_ledger_commands(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["evaluate", "--policies", str(POLICIES), "--gate", "beta", "--now", NOW_ISO, "-q"]
    assert run([*args, "--evidence", str(GO_BUNDLE), "--ledger", url]) == 0
    monkeypatch.setenv("P0GATE_LEDGER", url)
    assert run([*args, "--evidence", str(EXAMPLES / "no-go" / "beta")]) == 1
    capsys.readouterr()
    assert run(["ledger", "list"]) == 0
    listed = capsys.readouterr().out
    assert "2 decisions" in listed and "NO-GO" in listed
    assert run(["ledger", "show", "2", "--ledger", url]) == 0
    shown = dict(line.split(": ", 1) for line in capsys.readouterr().out.splitlines())
    assert shown["decision"] == "NO-GO" and shown["seq"] == "2"
    assert run(["ledger", "verify"]) == 0
    _sql(url, "UPDATE p0gate_decisions SET decision = 'GO' WHERE seq = 2")
    assert run(["ledger", "verify"]) == 3
    assert "row 2" in capsys.readouterr().err
    assert run(["ledger", "show", "9"]) == 3


def test_default_url_is_the_embedded_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("P0GATE_LEDGER", raising=False)
    assert run(["ledger", "list"]) == 0
    assert (tmp_path / ".p0gate" / "ledger.db").is_file()
    assert "0 decisions" in capsys.readouterr().out
