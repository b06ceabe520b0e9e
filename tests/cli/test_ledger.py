"""`evaluate --ledger` and `ledger list|show|verify` through the real CLI (SQLite and, when
one runs, PostgreSQL)."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from p0gate.cli import run
from p0gate.ledger import Ledger, parse_url
from tests.conftest import EXAMPLES, NOW_ISO, POLICIES, ROOT
from tests.test_ledger import PG_URL, _fresh_postgres, _tamper, url

__all__ = ["url"]  # the parametrised ledger URL fixture


def test_cli_evaluate_records_and_ledger_commands(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["evaluate", "--policies", str(POLICIES), "--now", NOW_ISO, "-q"]
    assert run([*args, "--evidence", str(EXAMPLES / "beta-go"), "--ledger", url]) == 0
    monkeypatch.setenv("P0GATE_LEDGER", url)
    assert run([*args, "--evidence", str(EXAMPLES / "beta-no-go")]) == 1
    capsys.readouterr()
    assert run(["ledger", "list"]) == 0
    listed = capsys.readouterr().out
    assert "2 decisions" in listed and "NO-GO" in listed
    assert run(["ledger", "show", "2", "--ledger", url]) == 0
    shown = dict(line.split(": ", 1) for line in capsys.readouterr().out.splitlines())
    assert shown["decision"] == "NO-GO" and shown["seq"] == "2"
    assert run(["ledger", "verify"]) == 0
    _tamper(url, "UPDATE p0gate_decisions SET decision = 'GO' WHERE seq = 2")
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


TINY_PACK = """\
apiVersion: p0gate/v1
kind: PolicySet
metadata: {name: tiny, authority: performance}
controls:
  - id: PF-1-TINY
    title: p99 under a second
    severity: high
    blocking: true
    phases: [beta]
    check: {type: statistic, artifact: lat, stat: p99, le: 1000}
"""


def tiny(root: Path, samples: int = 3) -> tuple[Path, Path]:
    """A one-control pack and a sealed bundle of ``samples`` latencies (GO)."""
    from tests.bundlekit import File, make_bundle

    pack = root / "pack"
    pack.mkdir(parents=True, exist_ok=True)
    (pack / "tiny.yaml").write_text(TINY_PACK)
    body = "latency_ms\n" + "".join(f"{10 + i % 90}\n" for i in range(samples))
    make_bundle(root / "bundle", [File("lat", "latency-samples", "lat.csv", body.encode())],
                phase="beta")
    return pack, root / "bundle"


def _ledger_trust(root: Path) -> tuple[Path, Path]:
    """A trust store naming one ledger signer; its private key's path."""
    from tests.bundlekit import write_keypair, write_trust

    folder = root / "trust"
    key = write_keypair(folder, "ledger")
    write_trust(folder, [("CI ledger", ["ledger"], "ledger.pub.pem")])
    return folder, key


def test_the_result_records_the_ledger_head_it_saw(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each result (and so each signed report, which embeds it) records the head before its
    own row: a later rewrite of that history no longer has that row with that hash."""
    pack, bundle = tiny(tmp_path)
    trust, key = _ledger_trust(tmp_path)
    monkeypatch.setenv("P0GATE_LEDGER_KEY", str(key))
    heads = []
    for n in range(3):
        out = tmp_path / f"r{n}.json"
        assert run(["evaluate", "--evidence", str(bundle), "--policies", str(pack), "--now",
                    NOW_ISO, "-q", "--ledger", url, "--report", f"json={out}", "--report",
                    f"html={tmp_path / 'r.html'}"]) == 0
        heads.append(json.loads(out.read_text())["ledger"])
    assert heads[0] == {"rows": 0, "last_hash": "0" * 64}
    html = (tmp_path / "r.html").read_text()  # the PDF is rendered from the same template
    assert "Ledger head before this decision" in html and heads[2]["last_hash"] in html
    assert [h["rows"] for h in heads] == [0, 1, 2]
    capsys.readouterr()
    assert run(["ledger", "show", "2", "--ledger", url]) == 0
    shown = dict(line.split(": ", 1) for line in capsys.readouterr().out.splitlines())
    assert heads[2]["last_hash"] == shown["row_hash"] and shown["signature"] != "None"
    assert run(["ledger", "verify", "--ledger", url, "--trust", str(trust)]) == 0
    assert "every row signed by a `ledger` key" in capsys.readouterr().out


def test_ledger_verify_with_a_ledger_signer_refuses_unsigned_rows(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pack, bundle = tiny(tmp_path)
    trust, key = _ledger_trust(tmp_path)
    args = ["evaluate", "--evidence", str(bundle), "--policies", str(pack), "--now", NOW_ISO,
            "-q", "--ledger", url]
    monkeypatch.setenv("P0GATE_LEDGER_KEY", key.read_text())  # the PEM itself, as CI secrets
    assert run(args) == 0
    monkeypatch.delenv("P0GATE_LEDGER_KEY")
    assert run(args) == 0
    capsys.readouterr()
    assert run(["ledger", "verify", "--ledger", url, "--trust", str(trust)]) == 3
    assert "row 2: is not signed" in capsys.readouterr().err
    assert run(["ledger", "verify", "--ledger", url, "--trust", str(tmp_path)]) == 3  # no store
    monkeypatch.setenv("P0GATE_LEDGER_KEY", str(tmp_path / "absent.pem"))
    assert run(args) == 3  # a key that cannot be read: invalid input, before any work


@pytest.mark.postgres
def test_fifty_concurrent_evaluations_leave_one_valid_signed_chain(tmp_path: Path) -> None:
    """50 `p0gate evaluate --ledger postgresql://…` processes at once: 50 rows, one chain,
    every row signed, every result's recorded head a row of it."""
    pg = _fresh_postgres(str(PG_URL))
    pack, bundle = tiny(tmp_path)
    trust, key = _ledger_trust(tmp_path)
    env = {**os.environ, "P0GATE_LEDGER_KEY": str(key), "PYTHONPATH": str(ROOT / "src")}
    started = time.monotonic()
    procs = [subprocess.Popen(
        [sys.executable, "-m", "p0gate", "evaluate", "--evidence", str(bundle), "--policies",
         str(pack), "--now", NOW_ISO, "-q", "--ledger", pg, "--report",
         f"json={tmp_path / f'r{n}.json'}"], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE) for n in range(50)]
    outputs = [p.communicate(timeout=600) for p in procs]
    elapsed = time.monotonic() - started
    assert [p.returncode for p in procs] == [0] * 50, [e.decode()[-300:] for _, e in outputs]
    book = Ledger.open(pg)
    try:
        entries = book.entries()
        assert [e.seq for e in entries] == list(range(1, 51))
        assert book.verify(signers=_signers(trust)) == []
    finally:
        book.close()
    hashes = {0: "0" * 64} | {e.seq: e.row_hash for e in entries}
    heads = [json.loads((tmp_path / f"r{n}.json").read_text())["ledger"] for n in range(50)]
    assert all(hashes[h["rows"]] == h["last_hash"] for h in heads)
    print(f"50 concurrent evaluations with a signed PostgreSQL ledger: {elapsed:.1f} s")


def _signers(trust: Path) -> dict[str, object]:
    from p0gate.checks.trust import load_trust

    return {f: k.key for f, k in load_trust(trust).keys.items()}


@pytest.mark.postgres
def test_a_server_stopped_mid_run_gives_exit_4_reports_written_and_no_half_row(
    tmp_path: Path,
) -> None:
    """Own throwaway server: the evaluation reads the head, evaluates and writes its reports;
    its append waits on a lock this test holds; the server stops; exit 4, the reports are
    there, and after a restart the ledger holds exactly its rows before, intact."""
    server = _own_server()
    try:
        _stopped_mid_run(server, tmp_path)
    finally:
        _server("stop", server["P0GATE_PG_DIR"])


def _server(command: str, *args: str) -> str:
    done = subprocess.run(["bash", str(ROOT / "scripts" / "start-postgres.sh"), command, *args],
                          capture_output=True, text=True, timeout=180, check=False,
                          env={k: v for k, v in os.environ.items()
                               if k != "P0GATE_TEST_POSTGRES_URL"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def _own_server() -> dict[str, str]:
    exports = _server("start")
    found = dict(line.removeprefix("export ").split("=", 1) for line in exports.splitlines()
                 if line.startswith("export "))
    assert "P0GATE_TEST_POSTGRES_URL" in found, "start-postgres.sh could not start a server"
    return found


def _stopped_mid_run(server: dict[str, str], tmp_path: Path) -> None:
    pg = server["P0GATE_TEST_POSTGRES_URL"]
    pack, bundle = tiny(tmp_path)
    args = [sys.executable, "-m", "p0gate", "evaluate", "--evidence", str(bundle),
            "--policies", str(pack), "--now", NOW_ISO, "-q", "--ledger", pg]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    assert subprocess.run([*args], env=env, capture_output=True, timeout=120).returncode == 0
    reports = [tmp_path / "out" / "r.json", tmp_path / "out" / "r.md"]
    engine = create_engine(parse_url(pg))
    holder = engine.connect()
    holder.execute(text("LOCK TABLE p0gate_ledger_head IN EXCLUSIVE MODE"))  # until the halt
    proc = subprocess.Popen([*args, "--report", f"json={reports[0]}", "--report",
                             f"markdown={reports[1]}"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    _wait_for_append(proc, engine)
    assert all(r.is_file() for r in reports)  # written before the append, as designed
    _server("halt", server["P0GATE_PG_DIR"])
    out, err = proc.communicate(timeout=120)
    holder.invalidate()  # its server is gone: nothing to roll back
    engine.dispose()
    assert proc.returncode == 4, (out, err)
    assert b"cannot append" in err and b"Traceback" not in err
    _server("resume", server["P0GATE_PG_DIR"])
    book = Ledger.open(pg)
    try:
        assert [e.seq for e in book.entries()] == [1] and book.verify() == []
    finally:
        book.close()


def _wait_for_append(proc: subprocess.Popen[bytes], engine: object) -> None:
    """Until the evaluation's append waits on the head row's lock."""
    query = text("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'p0gate' "
                 "AND wait_event_type = 'Lock'")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        with engine.connect() as conn:  # type: ignore[attr-defined]
            if conn.execute(query).scalar_one():
                return
        time.sleep(0.05)
    raise AssertionError("the evaluation never reached its ledger append")
