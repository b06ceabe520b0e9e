"""The decision ledger: an append-only, hash-chained history of gate decisions.

Each row holds what was decided (system, version, phase, decision), the digests that pin it
(result, pack, bundle) and the hash of the previous row; its own hash covers all of that.
``verify`` recomputes the chain, so an edited, inserted or deleted row is detected; a head
row (count and last hash) catches a deleted last row. Appends are serialised: ``BEGIN
IMMEDIATE`` on SQLite, ``SELECT … FOR UPDATE`` of the head row on PostgreSQL, so concurrent
evaluations keep one valid chain. SQLAlchemy is imported only here, only when used.

Against someone who can recompute hashes: with a key (``P0GATE_LEDGER_KEY``) each row is
signed over its hash, and ``verify(signers=…)`` (the trust store's ``ledger`` keys) accepts
only rows signed by one of them; each result records the head it saw (``head()``), so a
signed report pins the history before it. On PostgreSQL triggers refuse UPDATE, DELETE and
TRUNCATE (``ledger_rows.guard_statements``). Rows are read back strictly (``ledger_rows.typed``): a
column holding another type, NULL or an impossible number is tampering (exit 3), not a
crash. ``decisions(...)`` is the query the lifecycle's ``after:`` uses: verified rows only.

Schema changes are additive: a new nullable column of ``_tables`` is added to an existing
table when the ledger opens (``_add_columns``); old rows hold NULL there.

URLs: ``sqlite:///path`` (the embedded default is ``.p0gate/ledger.db``) or
``postgresql://user:password@host:port/db`` (served through psycopg 3).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from p0gate.errors import InputError, OutputError, UsageError
from p0gate.ledger_rows import guard_statements, signature_problem, typed

if TYPE_CHECKING:
    from collections.abc import Mapping

    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )
    from sqlalchemy import Engine, MetaData, Table
    from sqlalchemy.engine import URL, Connection

    from p0gate.result import LedgerHead, Result

DEFAULT_URL = "sqlite:///.p0gate/ledger.db"
LOCK = "SELECT pg_advisory_xact_lock(7036676174)"  # serialises concurrent first opens
GENESIS = "0" * 64
_HASHED = (
    "seq",
    "recorded_at",
    "evaluated_at",
    "system",
    "version",
    "phase",
    "decision",
    "result_digest",
    "pack_digest",
    "bundle_digest",
    "prev_hash",
)


@dataclass(frozen=True)
class Entry:
    """One recorded decision."""

    seq: int
    recorded_at: str
    evaluated_at: str
    system: str
    version: str
    phase: str
    decision: str
    result_digest: str
    pack_digest: str
    bundle_digest: str
    prev_hash: str
    row_hash: str
    key_sha256: str | None = None  # the row's signing key (sha256 of the raw public key)
    signature: str | None = None  # base64 Ed25519 signature of the row hash

    def expected_hash(self) -> str:
        """The hash this row must carry, recomputed from its content."""
        return row_hash({name: getattr(self, name) for name in _HASHED})


ENTRY_FIELDS = (*_HASHED, "row_hash", "key_sha256", "signature")
HEAD_FIELDS = ("size", "last_hash")


@dataclass(frozen=True)
class Problem:
    seq: int | None
    message: str

    def __str__(self) -> str:
        return f"row {self.seq}: {self.message}" if self.seq is not None else self.message


def row_hash(fields: dict[str, object]) -> str:
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _tables() -> tuple[MetaData, Table, Table]:
    from sqlalchemy import Column, Integer, MetaData, String, Table

    meta = MetaData()
    rows = Table(
        "p0gate_decisions",
        meta,
        Column("seq", Integer, primary_key=True, autoincrement=False),
        *(Column(name, String(200), nullable=False) for name in _HASHED[1:]),
        Column("row_hash", String(64), nullable=False),
        Column("key_sha256", String(64), nullable=True),
        Column("signature", String(100), nullable=True),
    )
    head = Table(
        "p0gate_ledger_head",
        meta,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("size", Integer, nullable=False),
        Column("last_hash", String(64), nullable=False),
    )
    return meta, rows, head


def parse_url(url: str) -> URL:
    """A SQLAlchemy URL for sqlite or postgresql (psycopg 3), or a usage error."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UsageError(
            f"ledger URL {url!r} is not a database URL",
            hint=f"use {DEFAULT_URL} or postgresql://user@host:5432/db",
        ) from None
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    if backend != "sqlite":
        raise UsageError(f"ledger URL {url!r}: only sqlite:/// and postgresql:// are supported")
    return parsed


def _engine(url: str) -> Engine:
    from sqlalchemy import create_engine, event

    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True,
                             connect_args={"application_name": "p0gate"})
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, connect_args={"timeout": 60})

    @event.listens_for(engine, "connect")
    def _autocommit(dbapi_connection: object, record: object) -> None:
        dbapi_connection.isolation_level = None  # type: ignore[attr-defined]

    @event.listens_for(engine, "begin")
    def _immediate(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class Ledger:
    """A ledger at one URL; open it with ``Ledger.open(url)`` and ``close()`` it after."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        _, self.rows, self.head = _tables()

    @classmethod
    def open(cls, url: str) -> Ledger:
        from sqlalchemy.exc import SQLAlchemyError

        engine = _engine(url)
        ledger = cls(url, engine)
        try:
            ledger._create()
        except SQLAlchemyError as exc:
            engine.dispose()
            raise OutputError(f"ledger {_safe(url)}: cannot open: {_reason(exc)}") from None
        return ledger

    def close(self) -> None:
        self.engine.dispose()

    def _create(self) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        for attempt in range(5):  # another process may be creating the tables right now
            try:
                with self.engine.begin() as conn:
                    self._create_in(conn)
                return
            except SQLAlchemyError:
                if attempt == 4:
                    raise

    def _create_in(self, conn: Connection) -> None:
        """Tables, the head row, columns added since, and on PostgreSQL the triggers."""
        from sqlalchemy import text

        postgres = conn.dialect.name == "postgresql"
        if postgres:
            conn.execute(text(LOCK))
        self.rows.metadata.create_all(conn, checkfirst=True)
        _add_columns(conn, self.rows)
        if conn.execute(self.head.select()).first() is None:
            conn.execute(self.head.insert().values(id=1, size=0, last_hash=GENESIS))
        if postgres and not _guarded(conn):
            for statement in guard_statements():
                conn.execute(text(statement))

    def append(self, result: Result, *, recorded_at: datetime,
               key: Ed25519PrivateKey | None = None) -> Entry:
        """Record ``result``'s decision at the end of the chain, atomically; signed with
        ``key`` when given."""
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with self.engine.begin() as conn:
                count, last = self._lock_head(conn)
                entry = _entry(result, seq=count + 1, prev=last, recorded_at=recorded_at,
                               key=key)
                conn.execute(self.rows.insert().values(**asdict(entry)))
                conn.execute(
                    self.head.update()
                    .where(self.head.c.id == 1)
                    .values(size=entry.seq, last_hash=entry.row_hash)
                )
        except SQLAlchemyError as exc:
            raise OutputError(f"ledger {_safe(self.url)}: cannot append: {_reason(exc)}") from None
        return entry

    def head_now(self) -> tuple[int, str]:
        """(rows, last hash) as the head records them now."""
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with self.engine.connect() as conn:
                row = conn.execute(self.head.select().where(self.head.c.id == 1)).first()
        except SQLAlchemyError as exc:
            raise OutputError(f"ledger {_safe(self.url)}: cannot read: {_reason(exc)}") from None
        return self._head_of(row)

    def _lock_head(self, conn: Connection) -> tuple[int, str]:
        query = self.head.select().where(self.head.c.id == 1)
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        return self._head_of(conn.execute(query).first())

    def _head_of(self, row: object) -> tuple[int, str]:
        """(size, last hash) of the head row, which must be intact to build on."""
        mapping = getattr(row, "_mapping", None)
        values, wrong = typed(dict(mapping) if mapping is not None else {}, HEAD_FIELDS)
        size = values.get("size")
        if mapping is None or wrong or not isinstance(size, int):
            raise InputError(f"ledger {_safe(self.url)}: the head row is missing or altered"
                             + (f" ({wrong[0]})" if wrong else ""),
                             hint="`p0gate ledger verify` lists every problem")
        return size, str(values["last_hash"])

    def entries(self) -> list[Entry]:
        """Every row, oldest first; a row whose columns were altered is invalid input."""
        entries, problems = self._read()
        if problems:
            raise InputError(f"ledger {_safe(self.url)}: {problems[0]}",
                             hint="`p0gate ledger verify` lists every problem")
        return entries

    def _read(self) -> tuple[list[Entry], list[Problem]]:
        """The rows that read back as p0gate rows, and a problem for each that does not."""
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with self.engine.connect() as conn:
                found = conn.execute(self.rows.select().order_by(self.rows.c.seq)).all()
        except SQLAlchemyError as exc:
            raise InputError(f"ledger {_safe(self.url)}: cannot read: {_reason(exc)}") from None
        entries, problems = [], []
        for position, row in enumerate(found, start=1):
            values, wrong = typed(dict(row._mapping), ENTRY_FIELDS)
            if wrong:
                seq = values.get("seq")
                problems.append(Problem(seq if isinstance(seq, int) else None,
                                        f"(at position {position}) " + "; ".join(wrong)))
            else:
                entries.append(Entry(**values))  # type: ignore[arg-type]
        return entries, problems

    def entry(self, seq: int) -> Entry:
        found = next((e for e in self.entries() if e.seq == seq), None)
        if found is None:
            raise InputError(
                f"ledger {_safe(self.url)} has no row {seq}",
                hint="`p0gate ledger list` shows the row numbers",
            )
        return found

    def verify(self, *, signers: Mapping[str, Ed25519PublicKey] | None = None) -> list[Problem]:
        """Every problem in the chain; an empty list means the ledger is intact. With
        ``signers`` (fingerprint → key; empty: none named) every row must be signed by one."""
        entries, problems = self._read()
        if problems:
            return problems
        try:
            count, last = self.head_now()
        except InputError as exc:
            return [Problem(None, exc.message)]
        return chain_problems(entries, count, last, signers=signers)

    def decisions(self, *, signers: Mapping[str, Ed25519PublicKey] | None = None,
             system: str | None = None, version: str | None = None,
             phase: str | None = None) -> list[Entry]:
        """The verified rows matching the filters, oldest first. A ledger with any problem
        (``verify``) proves nothing: ``TamperedLedgerError``."""
        problems = self.verify(signers=signers)
        if problems:
            raise TamperedLedgerError(self.url, problems)
        wanted = {"system": system, "version": version, "phase": phase}
        return [e for e in self.entries()
                if all(v is None or getattr(e, k) == v for k, v in wanted.items())]


class TamperedLedgerError(InputError):
    """The ledger does not verify: none of its rows can be relied on."""

    def __init__(self, url: str, problems: list[Problem]) -> None:
        shown = "; ".join(str(p) for p in problems[:3])
        super().__init__(f"ledger {_safe(url)} does not verify: {shown}",
                         hint="`p0gate ledger verify` lists every problem")
        self.problems = problems


def head(url: str) -> LedgerHead:
    """The head of the ledger at ``url`` as a result records it."""
    from contextlib import closing

    from p0gate.result import LedgerHead

    with closing(Ledger.open(url)) as book:
        rows, last = book.head_now()
    return LedgerHead(rows=rows, last_hash=last)


def chain_problems(entries: list[Entry], count: int, last_hash: str, *,
                   signers: Mapping[str, Ed25519PublicKey] | None = None) -> list[Problem]:
    """Recompute the chain: sequence, links, row hashes, signatures and the head."""
    problems: list[Problem] = []
    prev = GENESIS
    for expected_seq, entry in enumerate(entries, start=1):
        if entry.seq != expected_seq:
            problems.append(Problem(entry.seq, f"expected row {expected_seq}: a row is missing"))
        if entry.prev_hash != prev:
            problems.append(
                Problem(
                    entry.seq,
                    "does not link to the row before it (a row was deleted, inserted or edited)",
                )
            )
        if entry.row_hash != entry.expected_hash():
            problems.append(Problem(entry.seq, "its content does not match its hash (edited)"))
        if signers:
            why = signature_problem(entry.row_hash, entry.key_sha256, entry.signature, signers)
            if why is not None:
                problems.append(Problem(entry.seq, why))
        prev = entry.row_hash
    if count != len(entries) or last_hash != prev:
        problems.append(
            Problem(
                None,
                f"the head records {count} rows ending in "
                f"{last_hash[:12]}…, the table has {len(entries)} ending in "
                f"{prev[:12]}… (rows deleted or added)",
            )
        )
    return problems


def _entry(result: Result, *, seq: int, prev: str, recorded_at: datetime,
           key: Ed25519PrivateKey | None = None) -> Entry:
    meta = result.bundle.metadata
    fields: dict[str, object] = {
        "seq": seq,
        "recorded_at": recorded_at.isoformat().replace("+00:00", "Z"),
        "evaluated_at": result.evaluated_at,
        "system": str(meta.get("system") or ""),
        "version": str(meta.get("version") or ""),
        "phase": result.phase,
        "decision": str(result.decision),
        "result_digest": result.digest,
        "pack_digest": result.pack.digest,
        "bundle_digest": result.bundle.digest,
        "prev_hash": prev,
    }
    digest = row_hash(fields)
    signed: dict[str, str] = {}
    if key is not None:
        from p0gate.ledger_rows import sign

        signed["key_sha256"], signed["signature"] = sign(digest, key)
    return Entry(**fields, row_hash=digest, **signed)  # type: ignore[arg-type]


def _add_columns(conn: Connection, table: Table) -> None:
    """Add the table's nullable columns that an older ledger lacks (additive changes)."""
    from sqlalchemy import inspect, text

    present = {c["name"] for c in inspect(conn).get_columns(table.name)}
    for column in table.columns:
        if column.name not in present and column.nullable:
            kind = column.type.compile(dialect=conn.dialect)
            conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}"))


def _guarded(conn: Connection) -> bool:
    from sqlalchemy import bindparam, text

    from p0gate.ledger_rows import PRESENT, TRIGGERS

    query = text(PRESENT).bindparams(bindparam("names", value=list(TRIGGERS)))
    return int(conn.execute(query).scalar_one()) == len(TRIGGERS)


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return parse_url(url).render_as_string(hide_password=True)
    except UsageError:
        return "(unparseable URL)"


def _reason(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
