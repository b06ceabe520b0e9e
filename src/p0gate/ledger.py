"""The decision ledger: an append-only, hash-chained history of gate decisions.

Each row holds what was decided (system, version, gate, decision: GO or NO-GO at a gate, OK
or ROLLBACK from monitoring, with the alert levels raised), the digests that pin it (result,
pack, bundle) and the hash of the previous row; its own hash covers all of that.
``verify`` recomputes the chain, so an edited, inserted or deleted row is detected; a head
row (count and last hash) catches a deleted last row. Appends are serialised: ``BEGIN
IMMEDIATE`` on SQLite, ``SELECT … FOR UPDATE`` of the head row on PostgreSQL, so concurrent
evaluations keep one valid chain. SQLAlchemy is imported only here, only when used.

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

if TYPE_CHECKING:
    from sqlalchemy import Engine, MetaData, Table
    from sqlalchemy.engine import URL, Connection

    from p0gate.result import Result

DEFAULT_URL = "sqlite:///.p0gate/ledger.db"
GENESIS = "0" * 64
_HASHED = (
    "seq",
    "recorded_at",
    "evaluated_at",
    "system",
    "version",
    "gate",
    "decision",
    "alerts",
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
    gate: str
    decision: str
    alerts: str  # "CONTROL=level" pairs, comma-separated, in pack order
    result_digest: str
    pack_digest: str
    bundle_digest: str
    prev_hash: str
    row_hash: str

    def expected_hash(self) -> str:
        """The hash this row must carry, recomputed from its content."""
        return row_hash({name: getattr(self, name) for name in _HASHED})


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
    from sqlalchemy import Column, Integer, MetaData, String, Table, Text

    meta = MetaData()
    rows = Table(
        "p0gate_decisions",
        meta,
        Column("seq", Integer, primary_key=True, autoincrement=False),
        *(Column(name, Text if name == "alerts" else String(200), nullable=False)
          for name in _HASHED[1:]),
        Column("row_hash", String(64), nullable=False),
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
        return create_engine(parsed, pool_pre_ping=True)
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
        except InputError:
            engine.dispose()
            raise
        return ledger

    def close(self) -> None:
        self.engine.dispose()

    def _create(self) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        for attempt in range(5):  # another process may be creating the tables right now
            try:
                with self.engine.begin() as conn:
                    self.rows.metadata.create_all(conn, checkfirst=True)
                    self._same_columns(conn)
                    if conn.execute(self.head.select()).first() is None:
                        conn.execute(self.head.insert().values(id=1, size=0, last_hash=GENESIS))
                return
            except SQLAlchemyError:
                if attempt == 4:
                    raise

    def _same_columns(self, conn: Connection) -> None:
        """Refuse a table an older p0gate created (its rows cannot be read as entries)."""
        from sqlalchemy import inspect

        found = {c["name"] for c in inspect(conn).get_columns(self.rows.name)}
        wanted = {c.name for c in self.rows.columns}
        if found != wanted:
            raise InputError(
                f"ledger {_safe(self.url)}: its table has columns {', '.join(sorted(found))}, "
                f"this p0gate writes {', '.join(sorted(wanted))}",
                hint="start a new ledger (another --ledger URL) for this p0gate version")

    def append(self, result: Result, *, recorded_at: datetime) -> Entry:
        """Record ``result``'s decision at the end of the chain, atomically."""
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with self.engine.begin() as conn:
                count, last = self._lock_head(conn)
                entry = _entry(result, seq=count + 1, prev=last, recorded_at=recorded_at)
                conn.execute(self.rows.insert().values(**asdict(entry)))
                conn.execute(
                    self.head.update()
                    .where(self.head.c.id == 1)
                    .values(size=entry.seq, last_hash=entry.row_hash)
                )
        except SQLAlchemyError as exc:
            raise OutputError(f"ledger {_safe(self.url)}: cannot append: {_reason(exc)}") from None
        return entry

    def _lock_head(self, conn: Connection) -> tuple[int, str]:
        query = self.head.select().where(self.head.c.id == 1)
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        row = conn.execute(query).one()
        return int(row.size), str(row.last_hash)

    def entries(self) -> list[Entry]:
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with self.engine.connect() as conn:
                found = conn.execute(self.rows.select().order_by(self.rows.c.seq)).all()
        except SQLAlchemyError as exc:
            raise InputError(f"ledger {_safe(self.url)}: cannot read: {_reason(exc)}") from None
        return [Entry(**row._asdict()) for row in found]

    def entry(self, seq: int) -> Entry:
        found = next((e for e in self.entries() if e.seq == seq), None)
        if found is None:
            raise InputError(
                f"ledger {_safe(self.url)} has no row {seq}",
                hint="`p0gate ledger list` shows the row numbers",
            )
        return found

    def verify(self) -> list[Problem]:
        """Every problem in the chain; an empty list means the ledger is intact."""
        with self.engine.connect() as conn:
            head = conn.execute(self.head.select().where(self.head.c.id == 1)).one()
        return chain_problems(self.entries(), int(head.size), str(head.last_hash))


def chain_problems(entries: list[Entry], count: int, last_hash: str) -> list[Problem]:
    """Recompute the chain: sequence, links, row hashes and the head."""
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


def _entry(result: Result, *, seq: int, prev: str, recorded_at: datetime) -> Entry:
    meta = result.bundle.metadata
    fields: dict[str, object] = {
        "seq": seq,
        "recorded_at": recorded_at.isoformat().replace("+00:00", "Z"),
        "evaluated_at": result.evaluated_at,
        "system": str(meta.get("system") or ""),
        "version": str(meta.get("version") or ""),
        "gate": result.gate,
        "decision": str(result.decision),
        "alerts": alerts(result),
        "result_digest": result.digest,
        "pack_digest": result.pack.digest,
        "bundle_digest": result.bundle.digest,
        "prev_hash": prev,
    }
    return Entry(**fields, row_hash=row_hash(fields))  # type: ignore[arg-type]


def alerts(result: Result) -> str:
    """The alert levels a result raised, as ``CONTROL=level`` pairs in pack order."""
    return ",".join(f"{c.id}={c.alert_level.value}" for c in result.controls if c.alert_level)


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
