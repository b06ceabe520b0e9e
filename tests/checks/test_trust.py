"""The trust store: keys bound to roles and names; a sign-off verifies only with such a key."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from p0gate.attest import load_private_key, sign
from p0gate.checks.trust import load_trust, verify_signoff
from p0gate.errors import InputError
from p0gate.evidence.statement import SignOff, Statement, Subject
from tests.bundlekit import write_keypair, write_trust

STATEMENT = Statement(
    role="clinical-authority", signer="Dr. A", decision="approve",
    subject=Subject(system="s", version="1", evidence_digest="a" * 64),
    signed_at=datetime(2025, 9, 30, tzinfo=UTC))


@pytest.fixture
def trust(tmp_path: Path) -> Path:
    for name in ("clinical", "stranger"):
        write_keypair(tmp_path, name)
    write_trust(tmp_path, [("Dr. A", ["clinical-authority"], "clinical.pub.pem")])
    return tmp_path


def signed(trust: Path, key: str, statement: Statement = STATEMENT) -> SignOff:
    return sign(statement, load_private_key(trust / f"{key}.key.pem"))


def test_a_trusted_key_verifies(trust: Path) -> None:
    assert verify_signoff(signed(trust, "clinical"), load_trust(trust)) is None


@pytest.mark.parametrize(("key", "change", "words"), [
    ("stranger", {}, "not in the trust store"),
    ("clinical", {"role": "security-authority"}, "not trusted for the role"),
    ("clinical", {"signer": "Mallory"}, "the key belongs to 'Dr. A'"),
])
def test_untrusted_statements_say_why(trust: Path, key: str, change: dict[str, str],
                                      words: str) -> None:
    problem = verify_signoff(signed(trust, key, STATEMENT.model_copy(update=change)),
                             load_trust(trust))
    assert problem is not None and words in problem


def test_an_edited_statement_does_not_verify(trust: Path) -> None:
    edited = signed(trust, "clinical").model_copy(
        update={"statement": STATEMENT.model_copy(update={"decision": "reject"})})
    assert "edited after signing" in (verify_signoff(edited, load_trust(trust)) or "")


def test_a_broken_trust_store_is_invalid_input_at_its_line(trust: Path) -> None:
    with pytest.raises(InputError, match="no trust store"):
        load_trust(trust / "absent")
    write_trust(trust, [("Dr. A", ["clinical-authority"], "gone.pub.pem")])
    with pytest.raises(InputError, match=r"gone\.pub\.pem not found") as info:
        load_trust(trust)
    assert info.value.location is not None and info.value.location.line == 6
    write_trust(trust, [("Dr. A", ["clinical-authority"], "../outside.pem")])
    with pytest.raises(InputError, match="inside the bundle"):
        load_trust(trust)


def test_signers_for_a_role_and_the_store_digest(tmp_path: Path) -> None:
    write_keypair(tmp_path, "a")
    write_keypair(tmp_path, "b")
    write_trust(tmp_path, [("CI", ["ledger"], "a.pub.pem"), ("Dr. B", ["clinical"], "b.pub.pem")])
    store = load_trust(tmp_path)
    assert [store.keys[f].name for f in store.signers_for("ledger")] == ["CI"]
    assert store.signers_for("executive") == {}
    before = store.digest()
    write_trust(tmp_path, [("CI", ["ledger"], "a.pub.pem")])
    assert load_trust(tmp_path).digest() != before and len(before) == 64
