"""Ledger rows as they are stored: read back strictly, signed, and kept append-only.

A ledger is a database its readers do not control: a column may have been altered to
another type, set to NULL or to a number no row of p0gate holds. ``typed`` reads one raw
row (a mapping of column to whatever the driver returned) into plain ``str``/``int`` values,
or says which column holds what, so ``ledger verify`` reports tampering (exit 3) instead of
crashing. ``sign`` and ``signature_problem`` are the Ed25519 row signatures
(``P0GATE_LEDGER_KEY``; the trust store's ``ledger`` role names the keys that count): a
signature covers the row hash, which covers every hashed field and the previous row's
hash. ``guard_statements`` are the PostgreSQL side: triggers that refuse UPDATE, DELETE and
TRUNCATE of rows, and let the head row only advance to the row just appended.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

CONTEXT = b"p0gate ledger row v1\n"  # what a row signature signs, before the row hash
MAX_INT = 2**63
MAX_TEXT = 10_000
HEX64 = re.compile(r"^[0-9a-f]{64}$")
SIGNATURE = re.compile(r"^[A-Za-z0-9+/]{86}==$")  # 64 bytes in base64
DIGESTS = ("prev_hash", "row_hash", "result_digest", "pack_digest", "bundle_digest",
           "last_hash")
OPTIONAL = ("key_sha256", "signature")  # nullable columns (added later: old rows lack them)
INTEGERS = {"seq": 1, "size": 0}  # whole-number columns and their least value
Value = str | int | None


def typed(raw: Mapping[str, object],
          columns: tuple[str, ...]) -> tuple[dict[str, Value], list[str]]:
    """The row's values by column, and what is wrong with them (empty when well-typed)."""
    values: dict[str, Value] = {}
    wrong: list[str] = []
    for name in columns:
        value = raw.get(name)
        why = _wrong(name, value)
        if why is None:
            values[name] = value  # type: ignore[assignment]  # _wrong checked the type
        else:
            wrong.append(f"column {name} holds {_shown(value)} ({why})")
    return values, wrong


def _wrong(name: str, value: object) -> str | None:
    """Why ``value`` cannot be column ``name`` of a p0gate row (None when it can)."""
    if value is None:
        return None if name in OPTIONAL else "NULL where a value belongs"
    if name in INTEGERS:
        least = INTEGERS[name]
        fits = type(value) is int and least <= value < MAX_INT  # a bool is no row number
        return None if fits else f"expected a whole number from {least} to 2^63"
    if not isinstance(value, str):
        return f"a {type(value).__name__} where text belongs"
    if len(value) > MAX_TEXT:
        return f"{len(value)} characters of text"
    if (name in DIGESTS or name == "key_sha256") and not HEX64.match(value):
        return "not a sha256 in hex"
    if name == "signature" and not SIGNATURE.match(value):
        return "not a base64 Ed25519 signature"
    return None


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def sign(row_hash: str, key: Ed25519PrivateKey) -> tuple[str, str]:
    """(fingerprint of the public key, base64 signature) of a row's hash."""
    from p0gate.evidence.statement import fingerprint

    value = key.sign(CONTEXT + row_hash.encode("ascii"))
    return fingerprint(key.public_key()), base64.b64encode(value).decode("ascii")


def signature_problem(row_hash: str, key_sha256: str | None, signature: str | None,
                      signers: Mapping[str, Ed25519PublicKey]) -> str | None:
    """Why the row's signature does not count (None when a trusted ledger key made it)."""
    from cryptography.exceptions import InvalidSignature

    if key_sha256 is None or signature is None:
        return "is not signed (the trust store names a ledger signer)"
    key = signers.get(key_sha256)
    if key is None:
        return f"is signed by key {key_sha256[:12]}…, not a ledger key of the trust store"
    try:
        key.verify(base64.b64decode(signature, validate=True),
                   CONTEXT + row_hash.encode("ascii"))
    except (InvalidSignature, binascii.Error, ValueError):
        return "its signature does not match its content (edited or re-hashed)"
    return None


REFUSE = """
CREATE OR REPLACE FUNCTION p0gate_ledger_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the p0gate ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$
"""
ADVANCE = """
CREATE OR REPLACE FUNCTION p0gate_ledger_advance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.size IS DISTINCT FROM OLD.size + 1
     OR NEW.last_hash IS DISTINCT FROM
        (SELECT row_hash FROM p0gate_decisions WHERE seq = NEW.size) THEN
    RAISE EXCEPTION 'the p0gate ledger head only advances to the row just appended'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$
"""
TRIGGERS = {
    "p0gate_decisions_append_only": "BEFORE UPDATE OR DELETE ON p0gate_decisions FOR EACH ROW "
                                    "EXECUTE FUNCTION p0gate_ledger_refuse()",
    "p0gate_decisions_no_truncate": "BEFORE TRUNCATE ON p0gate_decisions FOR EACH STATEMENT "
                                    "EXECUTE FUNCTION p0gate_ledger_refuse()",
    "p0gate_head_advance_only": "BEFORE UPDATE ON p0gate_ledger_head FOR EACH ROW "
                                "EXECUTE FUNCTION p0gate_ledger_advance()",
    "p0gate_head_no_delete": "BEFORE DELETE ON p0gate_ledger_head FOR EACH ROW "
                             "EXECUTE FUNCTION p0gate_ledger_refuse()",
    "p0gate_head_no_truncate": "BEFORE TRUNCATE ON p0gate_ledger_head FOR EACH STATEMENT "
                               "EXECUTE FUNCTION p0gate_ledger_refuse()",
}
PRESENT = ("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgname = ANY(:names)")


def guard_statements() -> list[str]:
    """The DDL that makes the PostgreSQL ledger append-only (run under the ledger's lock)."""
    drops = [f"DROP TRIGGER IF EXISTS {name} ON {spec.split(' ON ')[1].split()[0]}"
             for name, spec in TRIGGERS.items()]
    creates = [f"CREATE TRIGGER {name} {spec}" for name, spec in TRIGGERS.items()]
    return [REFUSE, ADVANCE, *drops, *creates]
