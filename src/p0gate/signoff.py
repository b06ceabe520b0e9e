"""Sign-offs: Ed25519-signed approval statements, and the trust store that binds keys to roles.

A sign-off is a YAML document (``kind: SignOff``) with a ``statement`` (role, signer, decision,
subject with the bundle's evidence digest, signed_at) and a ``signature`` over the statement's
canonical JSON (sorted keys, no whitespace). The signature names its key by the sha256 of the
raw public key; the trust store (``trust.yaml``, design §6) says which roles each key may sign
for. Ed25519 signatures are deterministic: the same key and statement give the same bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import yaml
from pydantic import AwareDatetime, Field, ValidationError, field_validator

from p0gate.errors import InputError, Location
from p0gate.evidence.bundle import confined_path
from p0gate.model import Model
from p0gate.yamlio import load_yaml, validation_error

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

    from p0gate.evidence.bundle import Bundle

TRUST_FILE = "trust.yaml"
ROLE = r"^[a-z][a-z0-9-]*$"
Decision = Literal["approve", "reject"]


class Subject(Model):
    system: str = Field(min_length=1, description="the bundle's metadata.system")
    version: str = Field(min_length=1, description="the bundle's metadata.version")
    evidence_digest: str = Field(
        pattern=r"^[0-9a-f]{64}$",
        description=(
            "sha256 over the manifest entries of every non-signoff artifact of the bundle"
        ),
    )


class Statement(Model):
    role: str = Field(pattern=ROLE, description="e.g. clinical-authority")
    signer: str = Field(min_length=1, description="the person, as named in the trust store")
    decision: Decision = Field(description="approve | reject")
    subject: Subject
    signed_at: Annotated[AwareDatetime, Field(strict=False, description="ISO 8601 with zone")]
    comment: str | None = Field(None, description="optional remark of the signer")

    def canonical(self) -> bytes:
        data = self.model_dump(mode="json", exclude_none=True)
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


class Signature(Model):
    algorithm: Literal["ed25519"]
    key_sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$",
        description=("sha256 of the raw 32-byte public key that made the signature"),
    )
    value: str = Field(description="base64 of the 64-byte Ed25519 signature")

    @field_validator("value")
    @classmethod
    def _well_formed(cls, value: str) -> str:
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("signature value is not base64") from None
        if len(raw) != 64:
            raise ValueError(f"an Ed25519 signature is 64 bytes, this one is {len(raw)}")
        return value


class SignOff(Model):
    apiVersion: Literal["p0gate/v1"]  # noqa: N815 - the file format's spelling
    kind: Literal["SignOff"]
    statement: Statement
    signature: Signature


class TrustedSigner(Model):
    name: str = Field(min_length=1, description="the signer's name, as in their statements")
    roles: list[str] = Field(min_length=1, description="roles this key may sign for")
    public_key: str = Field(description="Ed25519 public key (PEM), relative to the trust folder")

    @field_validator("public_key")
    @classmethod
    def _confined(cls, value: str) -> str:
        return confined_path(value)


class TrustStore(Model):
    apiVersion: Literal["p0gate/v1"]  # noqa: N815
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


def fingerprint(key: Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return hashlib.sha256(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()


def load_trust(folder: Path) -> Trust:
    """Load ``folder/trust.yaml`` and every public key it names (invalid input otherwise)."""
    path = folder / TRUST_FILE
    if not path.is_file():
        raise InputError(
            "no trust store",
            location=Location(path),
            hint="sign-off checks need --trust DIR with a trust.yaml (design §6)",
        )
    data, lines = load_yaml(path)
    try:
        store = TrustStore.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, data, lines) from None
    keys: dict[str, TrustedKey] = {}
    for i, signer in enumerate(store.signers):
        where = lines.locate(["signers", i, "public_key"], data)
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


def load_private_key(path: Path) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except OSError as exc:
        raise InputError(f"cannot read the key: {exc.strerror}", location=Location(path)) from None
    except (ValueError, TypeError) as exc:
        raise InputError(
            f"not an unencrypted PEM private key ({exc})", location=Location(path)
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(
            "not an Ed25519 private key",
            location=Location(path),
            hint="make one with `openssl genpkey -algorithm ed25519`",
        )
    return key


def statement_for(
    bundle: Bundle,
    *,
    role: str,
    signer: str,
    decision: Decision,
    signed_at: datetime,
    comment: str | None = None,
) -> Statement:
    meta = bundle.metadata
    subject = Subject(
        system=meta.system, version=meta.version, evidence_digest=bundle.evidence_digest()
    )
    try:
        return Statement(
            role=role,
            signer=signer,
            decision=decision,
            subject=subject,
            signed_at=signed_at,
            comment=comment,
        )
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        field = ".".join(str(p) for p in first["loc"])
        raise InputError(
            f"cannot sign: {field}: {first['msg']}",
            hint="roles are lower-case words joined by -, e.g. clinical-authority",
        ) from None


def sign(statement: Statement, key: Ed25519PrivateKey) -> SignOff:
    value = base64.b64encode(key.sign(statement.canonical())).decode()
    signature = Signature(
        algorithm="ed25519", key_sha256=fingerprint(key.public_key()), value=value
    )
    return SignOff(apiVersion="p0gate/v1", kind="SignOff", statement=statement, signature=signature)


def to_yaml(signoff: SignOff) -> bytes:
    data = signoff.model_dump(mode="json", exclude_none=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100).encode()


def problem(signoff: SignOff, trust: Trust) -> str | None:
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
