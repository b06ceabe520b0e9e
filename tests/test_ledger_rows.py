"""Ledger rows read back strictly, row signatures, and the PostgreSQL guard's statements."""

from __future__ import annotations

import base64
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from p0gate.evidence.statement import fingerprint
from p0gate.ledger_rows import guard_statements, sign, signature_problem, typed

COLUMNS = ("seq", "decision", "row_hash", "key_sha256", "signature", "size")
GOOD = {"seq": 3, "decision": "GO", "row_hash": "a" * 64, "key_sha256": None,
        "signature": None, "size": 0}


def test_a_well_typed_row_reads_back_as_it_is() -> None:
    assert typed(GOOD, COLUMNS) == (GOOD, [])


@pytest.mark.parametrize(("column", "value", "words"), [
    ("seq", "3", "expected a whole number from 1"),
    ("seq", 0, "expected a whole number from 1"),
    ("seq", True, "expected a whole number"),
    ("seq", 2**63, "expected a whole number"),
    ("seq", Decimal("1e30"), "expected a whole number"),
    ("seq", float("nan"), "expected a whole number"),
    ("size", -1, "from 0"),
    ("decision", None, "NULL where a value belongs"),
    ("decision", b"GO", "a bytes where text belongs"),
    ("decision", 10**400, "a int where text belongs"),
    ("decision", "x" * 20_000, "20000 characters"),
    ("row_hash", "A" * 64, "not a sha256 in hex"),
    ("key_sha256", "short", "not a sha256 in hex"),
    ("signature", "12", "not a base64 Ed25519 signature"),
])
def test_what_no_row_can_hold_is_named(column: str, value: object, words: str) -> None:
    values, wrong = typed({**GOOD, column: value}, COLUMNS)
    assert len(wrong) == 1 and wrong[0].startswith(f"column {column} holds")
    assert words in wrong[0] and column not in values


ANYTHING = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(),
                     st.binary(), st.decimals(), st.lists(st.integers(), max_size=3),
                     st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@given(st.dictionaries(st.sampled_from(COLUMNS), ANYTHING))
def test_any_content_reads_or_is_named_never_raises(raw: dict[str, object]) -> None:
    values, wrong = typed(raw, COLUMNS)
    assert len(values) + len(wrong) == len(COLUMNS)
    assert all(v is None or type(v) in (int, str) for v in values.values())


def test_a_signature_counts_only_from_a_trusted_key_over_the_same_hash() -> None:
    key, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    signers = {fingerprint(key.public_key()): key.public_key()}
    fp, value = sign("a" * 64, key)
    assert signature_problem("a" * 64, fp, value, signers) is None
    assert "does not match" in str(signature_problem("b" * 64, fp, value, signers))
    assert "not a ledger key" in str(signature_problem("a" * 64, *sign("a" * 64, other),
                                                       signers))
    assert "not signed" in str(signature_problem("a" * 64, None, None, signers))
    broken = base64.b64encode(b"\0" * 64).decode()
    assert "does not match" in str(signature_problem("a" * 64, fp, broken, signers))
    assert "does not match" in str(signature_problem("a" * 64, fp, "!!", signers))


def test_the_guard_refuses_changes_and_lets_the_head_only_advance() -> None:
    sql = "\n".join(guard_statements())
    for phrase in ("BEFORE UPDATE OR DELETE ON p0gate_decisions",
                   "BEFORE TRUNCATE ON p0gate_decisions", "BEFORE UPDATE ON p0gate_ledger_head",
                   "BEFORE DELETE ON p0gate_ledger_head", "NEW.size IS DISTINCT FROM OLD.size + 1"):
        assert phrase in sql
