"""The decision ledger: appends, the hash chain, tampering, concurrency; SQLite and PostgreSQL.

PostgreSQL runs when P0GATE_TEST_POSTGRES_URL names a server (``make test`` starts one with
scripts/start-postgres.sh); the tests drop and recreate the ledger tables there.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from p0gate.cli import run
from p0gate.errors import OutputError, UsageError
from p0gate.ledger import GENESIS, Ledger, parse_url
from p0gate.result import BundleInfo, PackInfo, Result, Waivers
from tests.conftest import NOW_ISO, ROOT

PG_URL = os.environ.get("P0GATE_TEST_POSTGRES_URL")
WHEN = datetime(2025, 10, 1, tzinfo=UTC)


def _fresh_postgres(url: str) -> str:
    engine = create_engine(parse_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS p0gate_decisions, p0gate_ledger_head"))
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sub' / 'ledger.db'}"
    if not PG_URL:
        pytest.skip("P0GATE_TEST_POSTGRES_URL is not set (make test starts a server)")
    return _fresh_postgres(PG_URL)


@pytest.fixture
def book(url: str) -> Iterator[Ledger]:
    ledger = Ledger.open(url)
    yield ledger
    ledger.close()


def result(decision: str = "GO", version: str = "1.0.0", digest: str = "a" * 64) -> Result:
    return Result(
        apiVersion="p0gate/v1",
        evaluated_at=NOW_ISO,
        gate="beta",
        rollout_percent=None,
        pack=PackInfo(name="p", digest="b" * 64),
        bundle=BundleInfo(
            metadata={"system": "p0-cloud-sync", "version": version},
            digest="c" * 64,
            evidence_digest="d" * 64,
        ),
        baseline=None,
        decision=decision,
        rollback=False,
        counts={},
        warnings=[],  # type: ignore[arg-type]
        waivers=Waivers(),
        controls=[],
        digest=digest,
    )


def _sql(url: str, statement: str) -> None:
    engine = create_engine(parse_url(url))
    with engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()


def test_appends_chain_rows_in_order(book: Ledger) -> None:
    first = book.append(result("GO", "1.0.0"), recorded_at=WHEN)
    second = book.append(result("NO-GO", "1.0.1"), recorded_at=WHEN)
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS and second.prev_hash == first.row_hash
    entries = book.entries()
    assert [(e.version, e.decision) for e in entries] == [("1.0.0", "GO"), ("1.0.1", "NO-GO")]
    assert entries[1].result_digest == "a" * 64 and entries[1].pack_digest == "b" * 64
    assert entries[1].bundle_digest == "c" * 64 and entries[1].recorded_at == "2025-10-01T00:00:00Z"
    assert book.verify() == []


def test_a_monitor_decision_keeps_its_alert_levels_in_the_hash(book: Ledger, url: str) -> None:
    from p0gate.outcome import AlertLevel, Outcome
    from p0gate.result import ControlResult

    def control(cid: str, level: AlertLevel | None) -> ControlResult:
        return ControlResult(id=cid, title="t", authority="crisis", severity="critical",
                             blocking=True, waivable=False, outcome=Outcome.PASS, measured={},
                             required={}, alert_level=level, rollback=False, message="m",
                             evidence=[], references=[], source="c.yaml:1")

    watched = result("OK").model_copy(update={"controls": [
        control("CR-1-X", AlertLevel.WARNING), control("CR-2-X", None),
        control("CR-3-X", AlertLevel.EMERGENCY)], "mode": "monitor"})
    entry = book.append(watched, recorded_at=WHEN)
    assert (entry.decision, entry.alerts) == ("OK", "CR-1-X=warning,CR-3-X=emergency")
    _sql(url, "UPDATE p0gate_decisions SET alerts = '' WHERE seq = 1")
    assert "edited" in str(book.verify()[0])


def test_a_ledger_of_an_older_p0gate_is_refused_not_misread(tmp_path: Path) -> None:
    from p0gate.errors import InputError

    url = f"sqlite:///{tmp_path / 'old.db'}"
    _sql(url, "CREATE TABLE p0gate_decisions (seq INTEGER PRIMARY KEY, phase VARCHAR(200))")
    with pytest.raises(InputError, match="this p0gate writes") as info:
        Ledger.open(url)
    assert info.value.hint is not None and "new ledger" in info.value.hint


def test_empty_ledger_verifies(book: Ledger) -> None:
    assert book.entries() == [] and book.verify() == []


@pytest.mark.parametrize(
    "statement, words",
    [
        ("UPDATE p0gate_decisions SET decision = 'GO' WHERE seq = 2", "edited"),
        ("UPDATE p0gate_decisions SET prev_hash = '{z}' WHERE seq = 2", "link"),
        ("DELETE FROM p0gate_decisions WHERE seq = 2", "missing"),
        ("DELETE FROM p0gate_decisions WHERE seq = 3", "head records"),
        ("UPDATE p0gate_ledger_head SET size = 2", "head records"),
    ],
)
def test_tampering_is_detected(book: Ledger, url: str, statement: str, words: str) -> None:
    for decision in ("GO", "NO-GO", "GO"):
        book.append(result(decision), recorded_at=WHEN)
    _sql(url, statement.replace("{z}", "0" * 64))
    problems = book.verify()
    assert problems and any(words in str(p) for p in problems)


def test_rewriting_a_row_with_a_fresh_hash_breaks_the_next_link(book: Ledger, url: str) -> None:
    rows = [book.append(result(d), recorded_at=WHEN) for d in ("NO-GO", "GO")]
    forged = rows[0].__class__(**{**rows[0].__dict__, "decision": "GO"})
    fresh = forged.expected_hash()
    _sql(url, f"UPDATE p0gate_decisions SET decision = 'GO', row_hash = '{fresh}' WHERE seq = 1")
    assert any("link" in str(p) for p in book.verify())


def _appender(url: str, n: int) -> subprocess.Popen[bytes]:
    code = (
        "import sys; sys.path.insert(0, sys.argv[3]);"
        "from datetime import UTC, datetime;"
        "from tests.test_ledger import result; from p0gate.ledger import Ledger;"
        "b = Ledger.open(sys.argv[1]);"
        "[b.append(result(version=f'v{i}'), recorded_at=datetime.now(UTC))"
        " for i in range(int(sys.argv[2]))];"
        "b.close()"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code, url, str(n), str(ROOT)], stderr=subprocess.PIPE
    )


def test_concurrent_appends_keep_one_valid_chain(url: str) -> None:
    procs = [_appender(url, 15) for _ in range(3)]
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    book = Ledger.open(url)
    try:
        entries = book.entries()
        assert [e.seq for e in entries] == list(range(1, 46))
        assert book.verify() == []
    finally:
        book.close()


def test_bad_urls_are_usage_errors() -> None:
    for bad in ("mysql://x/y", "not a url"):
        with pytest.raises(UsageError):
            parse_url(bad)
    assert parse_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert run(["ledger", "list", "--ledger", "mysql://x/y"]) == 2


def test_unreachable_server_is_an_output_error() -> None:
    with pytest.raises(OutputError, match="cannot open"):
        Ledger.open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
