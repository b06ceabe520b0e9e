"""The trust store (``trust.yaml``, design §6): which keys may sign for which roles.

``load_trust`` reads the store and every public key it names, once, when the pack loads;
``verify_signoff`` says why a sign-off cannot be trusted, or None when its signature verifies
with a key the store binds to the statement's role and signer. Ed25519 signatures are
deterministic: the same key and statement give the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from p0gate.documents import Document, Model, load_located
from p0gate.errors import InputError, Location
from p0gate.evidence.bundle import RelativePath
from p0gate.evidence.statement import SignOff, fingerprint

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

TRUST_FILE = "trust.yaml"


class TrustedSigner(Model):
    name: str = Field(min_length=1, description="the signer's name, as in their statements")
    roles: list[str] = Field(min_length=1, description="roles this key may sign for")
    public_key: RelativePath = Field(description=(
        "Ed25519 public key (PEM), relative to the trust folder"))


class TrustStore(Document):
    kind: Literal["TrustStore"]
    signers: list[TrustedSigner] = Field(description="trusted keys and their roles")


@dataclass(frozen=True)
class TrustedKey:
    name: str
    roles: frozenset[str]
    key: Ed25519PublicKey
    fingerprint: str


@dataclass(frozen=True)
class Trust:
    folder: Path
    keys: dict[str, TrustedKey]  # by fingerprint

    def signers_for(self, role: str) -> dict[str, Ed25519PublicKey]:
        """The keys trusted for ``role``, by fingerprint (``ledger``: the keys whose ledger
        rows count, for ``Ledger.verify``/``decisions``)."""
        return {f: k.key for f, k in self.keys.items() if role in k.roles}

    def digest(self) -> str:
        """sha256 over who the store trusts (key fingerprint, name, roles), whatever its
        files are called: the result records it, so `verify` can tell another store."""
        entries = sorted([k.fingerprint, k.name, sorted(k.roles)] for k in self.keys.values())
        text = json.dumps(entries, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_trust(folder: Path) -> Trust:
    """Load ``folder/trust.yaml`` and every public key it names (invalid input otherwise)."""
    path = folder / TRUST_FILE
    if not path.is_file():
        raise InputError(
            "no trust store",
            location=Location(path),
            hint="sign-off checks need --trust DIR with a trust.yaml (design §6)",
        )
    store = load_located(path, TrustStore)
    keys: dict[str, TrustedKey] = {}
    for i, signer in enumerate(store.document.signers):
        where = store.locate(["signers", i, "public_key"])
        key = _public_key(folder / signer.public_key, where)
        found = TrustedKey(signer.name, frozenset(signer.roles), key, fingerprint(key))
        keys[found.fingerprint] = found
    return Trust(folder, keys)


def _public_key(path: Path, where: Location) -> Ed25519PublicKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    if not path.is_file():
        raise InputError(
            f"public key file {path.name} not found",
            location=where,
            hint="put the signer's PEM public key beside trust.yaml",
        )
    try:
        key = load_pem_public_key(path.read_bytes())
    except ValueError as exc:
        raise InputError(f"{path.name} is not a PEM public key ({exc})", location=where) from None
    if not isinstance(key, Ed25519PublicKey):
        raise InputError(f"{path.name} is not an Ed25519 key", location=where)
    return key


def verify_signoff(signoff: SignOff, trust: Trust) -> str | None:
    """Why this statement cannot be trusted (None when its signature and signer are good)."""
    from cryptography.exceptions import InvalidSignature

    found = trust.keys.get(signoff.signature.key_sha256)
    statement = signoff.statement
    if found is None:
        return "signed by a key that is not in the trust store"
    if statement.role not in found.roles:
        return f"{found.name}'s key is not trusted for the role {statement.role}"
    if statement.signer != found.name:
        return f"the statement names {statement.signer!r}, the key belongs to {found.name!r}"
    try:
        found.key.verify(base64.b64decode(signoff.signature.value), statement.canonical())
    except InvalidSignature:
        return "the signature does not match the statement (edited after signing?)"
    return None
