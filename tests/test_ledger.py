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
from p0gate.ledger import GENESIS, Entry, Ledger, parse_url
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
        phase="beta",
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


def _sql(url: str, *statements: str) -> None:
    """Raw SQL as the writing role (on PostgreSQL the append-only triggers apply)."""
    engine = create_engine(parse_url(url))
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def _tamper(url: str, *statements: str) -> None:
    """Raw SQL as someone with the database's owner rights: on PostgreSQL triggers are off
    for the session (``session_replication_role = replica``, superuser only)."""
    first = ("SET LOCAL session_replication_role = replica",) if "postgresql" in url else ()
    _sql(url, *first, *statements)


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
    _tamper(url, statement.replace("{z}", "0" * 64))
    problems = book.verify()
    assert problems and any(words in str(p) for p in problems)


def test_rewriting_a_row_with_a_fresh_hash_breaks_the_next_link(book: Ledger, url: str) -> None:
    rows = [book.append(result(d), recorded_at=WHEN) for d in ("NO-GO", "GO")]
    forged = rows[0].__class__(**{**rows[0].__dict__, "decision": "GO"})
    fresh = forged.expected_hash()
    _tamper(url, f"UPDATE p0gate_decisions SET decision = 'GO', row_hash = '{fresh}' WHERE seq = 1")
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


@pytest.mark.postgres
def test_the_writing_role_cannot_update_delete_or_truncate(tmp_path: Path) -> None:
    """On PostgreSQL the table is append-only for the role that writes it (p0gate's own
    connection): triggers refuse UPDATE, DELETE and TRUNCATE, and the head only advances to
    the row just appended."""
    from sqlalchemy.exc import DBAPIError

    url = _fresh_postgres(str(PG_URL))
    book = Ledger.open(url)
    try:
        for decision in ("NO-GO", "GO"):
            book.append(result(decision), recorded_at=WHEN)
        for statement in ("UPDATE p0gate_decisions SET decision = 'GO' WHERE seq = 1",
                          "DELETE FROM p0gate_decisions WHERE seq = 2",
                          "TRUNCATE p0gate_decisions CASCADE",
                          "UPDATE p0gate_ledger_head SET size = 1",
                          f"UPDATE p0gate_ledger_head SET size = 3, last_hash = '{'0' * 64}'",
                          "DELETE FROM p0gate_ledger_head",
                          "TRUNCATE p0gate_ledger_head"):
            with pytest.raises(DBAPIError, match=r"append-only|only advances"):
                _sql(url, statement)
        assert book.verify() == [] and len(book.entries()) == 2
    finally:
        book.close()


SQLITE_GARBAGE = [
    # seq is SQLite's rowid: only other integers fit there
    "UPDATE p0gate_decisions SET seq = -5 WHERE seq = 2",
    "UPDATE p0gate_decisions SET seq = 9223372036854775807 WHERE seq = 2",
    "UPDATE p0gate_decisions SET decision = 123456789012345678901234567890 WHERE seq = 2",
    "UPDATE p0gate_decisions SET system = x'00ff' WHERE seq = 2",
    "UPDATE p0gate_decisions SET version = 1.5 WHERE seq = 2",
    "UPDATE p0gate_decisions SET row_hash = 'not hex' WHERE seq = 2",
    "UPDATE p0gate_decisions SET signature = 12 WHERE seq = 2",
    "UPDATE p0gate_decisions SET phase = '" + "x" * 20000 + "' WHERE seq = 2",
    "UPDATE p0gate_ledger_head SET size = 'many'",
    "UPDATE p0gate_ledger_head SET size = 1e40",
    "UPDATE p0gate_ledger_head SET last_hash = 7",
    "DELETE FROM p0gate_ledger_head",
]
POSTGRES_GARBAGE = [
    ("ALTER TABLE p0gate_decisions ALTER COLUMN seq TYPE numeric",
     "UPDATE p0gate_decisions SET seq = 1e30 WHERE seq = 2"),
    ("ALTER TABLE p0gate_decisions ALTER COLUMN seq TYPE text",
     "UPDATE p0gate_decisions SET seq = 'NaN' WHERE seq = '2'"),
    ("ALTER TABLE p0gate_decisions ALTER COLUMN seq TYPE double precision",
     "UPDATE p0gate_decisions SET seq = 'Infinity' WHERE seq = 2"),
    ("ALTER TABLE p0gate_decisions ALTER COLUMN decision DROP NOT NULL",
     "UPDATE p0gate_decisions SET decision = NULL WHERE seq = 2"),
    ("ALTER TABLE p0gate_decisions ALTER COLUMN recorded_at TYPE bytea "
     "USING convert_to(recorded_at, 'UTF8')",),
    ("ALTER TABLE p0gate_decisions ALTER COLUMN system TYPE double precision USING 'NaN'",),
    ("ALTER TABLE p0gate_decisions ALTER COLUMN version TYPE timestamptz USING now()",),
    ("ALTER TABLE p0gate_decisions ALTER COLUMN phase TYPE jsonb USING '{\"a\": [1]}'",),
    ("ALTER TABLE p0gate_decisions ALTER COLUMN prev_hash TYPE numeric USING 1e100",),
    ("ALTER TABLE p0gate_decisions ALTER COLUMN decision TYPE boolean USING true",),
    ("ALTER TABLE p0gate_ledger_head ALTER COLUMN size TYPE numeric",
     "UPDATE p0gate_ledger_head SET size = 1e50"),
    ("ALTER TABLE p0gate_ledger_head ALTER COLUMN last_hash DROP NOT NULL",
     "UPDATE p0gate_ledger_head SET last_hash = NULL"),
    ("ALTER TABLE p0gate_decisions DROP COLUMN decision",),
]


def _garbage(url: str) -> list[tuple[str, ...]]:
    if "postgresql" in url:
        return POSTGRES_GARBAGE
    return [(statement,) for statement in SQLITE_GARBAGE]


def test_ledger_verify_exits_3_whatever_the_columns_hold(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Wrong types, NULLs, huge or non-finite numbers, dropped columns: tampering, exit 3,
    never a crash (exit 70) and never "intact"."""
    for statements in _garbage(url):
        fresh = _fresh_postgres(url) if "postgresql" in url else _fresh_sqlite(url)
        book = Ledger.open(fresh)
        for decision in ("GO", "NO-GO", "GO"):
            book.append(result(decision), recorded_at=WHEN)
        book.close()
        _tamper(fresh, *statements)
        capsys.readouterr()
        code = run(["ledger", "verify", "--ledger", fresh])
        got = capsys.readouterr()
        assert code == 3, (statements, code, got.out, got.err)
        assert "Traceback" not in got.out + got.err and "internal error" not in got.err
        for command in (["ledger", "list"], ["ledger", "show", "1"]):
            assert run([*command, "--ledger", fresh]) in (0, 3), (statements, command)


def _fresh_sqlite(url: str) -> str:
    path = Path(url.removeprefix("sqlite:///"))
    path.unlink(missing_ok=True)
    return url


def _keys(tmp_path: Path) -> tuple[object, dict[str, object], object]:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from p0gate.evidence.statement import fingerprint

    key, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    return key, {fingerprint(key.public_key()): key.public_key()}, other


def test_signed_rows_resist_someone_who_can_recompute_hashes(
    book: Ledger, url: str, tmp_path: Path
) -> None:
    key, signers, _ = _keys(tmp_path)
    rows = [book.append(result(d), recorded_at=WHEN, key=key) for d in ("NO-GO", "GO")]
    assert all(r.signature and r.key_sha256 for r in rows)
    assert book.verify(signers=signers) == []  # type: ignore[arg-type]
    forged = [Entry(**{**rows[0].__dict__, "decision": "GO", "signature": None,
                       "key_sha256": None})]
    fresh = forged[0].expected_hash()  # rewrite the whole chain with fresh hashes
    second = Entry(**{**rows[1].__dict__, "prev_hash": fresh})
    _tamper(url, f"UPDATE p0gate_decisions SET decision = 'GO', row_hash = '{fresh}' "
                 "WHERE seq = 1",
            f"UPDATE p0gate_decisions SET prev_hash = '{fresh}', row_hash = "
            f"'{second.expected_hash()}' WHERE seq = 2",
            f"UPDATE p0gate_ledger_head SET last_hash = '{second.expected_hash()}'")
    assert book.verify() == []  # hashes alone: the rewrite is invisible
    found = [str(p) for p in book.verify(signers=signers)]  # type: ignore[arg-type]
    assert any("row 1: its signature does not match" in p for p in found), found
    assert any("row 2: its signature does not match" in p for p in found), found


def test_rows_signed_by_another_key_or_unsigned_do_not_count(book: Ledger, tmp_path: Path) -> None:
    key, signers, other = _keys(tmp_path)
    book.append(result("GO"), recorded_at=WHEN, key=key)
    book.append(result("GO"), recorded_at=WHEN, key=other)  # type: ignore[arg-type]
    book.append(result("GO"), recorded_at=WHEN)
    found = [str(p) for p in book.verify(signers=signers)]  # type: ignore[arg-type]
    assert found == [found[0], found[1]] and "row 2: is signed by key" in found[0]
    assert "row 3: is not signed" in found[1]
    assert book.verify() == []  # without a named ledger signer, unsigned rows are accepted


def test_decisions_are_verified_rows(book: Ledger, url: str, tmp_path: Path) -> None:
    from p0gate.ledger import TamperedLedgerError

    key, signers, _ = _keys(tmp_path)
    book.append(result("GO", "1.0.0"), recorded_at=WHEN, key=key)
    book.append(result("NO-GO", "1.0.1"), recorded_at=WHEN, key=key)
    found = book.decisions(signers=signers, system="p0-cloud-sync",  # type: ignore[arg-type]
                           version="1.0.1", phase="beta")
    assert [(e.seq, e.decision) for e in found] == [(2, "NO-GO")]
    _tamper(url, "UPDATE p0gate_decisions SET decision = 'GO' WHERE seq = 2")
    with pytest.raises(TamperedLedgerError, match="row 2"):
        book.decisions(signers=signers, version="1.0.1")  # type: ignore[arg-type]


def test_an_old_ledger_gains_the_new_columns(tmp_path: Path) -> None:
    """Schema changes are additive: a ledger made before row signatures keeps its rows."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    _sql(url, "CREATE TABLE p0gate_decisions (seq INTEGER PRIMARY KEY, recorded_at "
              "VARCHAR(200) NOT NULL, evaluated_at VARCHAR(200) NOT NULL, system VARCHAR(200) "
              "NOT NULL, version VARCHAR(200) NOT NULL, phase VARCHAR(200) NOT NULL, decision "
              "VARCHAR(200) NOT NULL, result_digest VARCHAR(200) NOT NULL, pack_digest "
              "VARCHAR(200) NOT NULL, bundle_digest VARCHAR(200) NOT NULL, prev_hash "
              "VARCHAR(200) NOT NULL, row_hash VARCHAR(64) NOT NULL)")
    book = Ledger.open(url)
    try:
        book.append(result("GO"), recorded_at=WHEN)
        assert book.verify() == [] and book.entries()[0].signature is None
    finally:
        book.close()
