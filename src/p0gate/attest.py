"""`p0gate signoff`: write an Ed25519-signed sign-off statement over a bundle's evidence.

The statement names the role, the signer, the verdict and the bundle (system, version and
evidence digest); the signature covers the statement's canonical JSON and names its key by
fingerprint, so the trust store can bind it to roles (see ``checks.trust``).
"""

from __future__ import annotations

import base64
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from pydantic import ValidationError

from p0gate.documents import API_VERSION
from p0gate.errors import InputError, Location, OutputError
from p0gate.evidence.statement import Signature, SignOff, Statement, Subject, fingerprint
from p0gate.outcome import Verdict

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from p0gate.evidence.bundle import Bundle


def write_signoff(output: Path, *, evidence: Path, key: Path, role: str, signer: str,
                  decision: Verdict, signed_at: datetime, comment: str | None) -> Statement:
    """Sign a statement about the bundle at ``evidence`` with ``key`` and write it to
    ``output`` as YAML; returns the statement."""
    from p0gate.evidence.bundle import open_bundle

    private = load_private_key(key)
    with open_bundle(evidence) as bundle:
        statement = statement_for(bundle, role=role, signer=signer, decision=decision,
                                  signed_at=signed_at, comment=comment)
    try:
        output.write_bytes(to_yaml(sign(statement, private)))
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror}") from None
    return statement


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the key: {exc.strerror}", location=Location(path)) from None
    return private_key(data, Location(path))


def private_key(pem: bytes, where: Location) -> Ed25519PrivateKey:
    """An unencrypted Ed25519 private key from PEM bytes; invalid input naming ``where``."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise InputError(f"not an unencrypted PEM private key ({exc})", location=where) \
            from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(
            "not an Ed25519 private key",
            location=where,
            hint="make one with `openssl genpkey -algorithm ed25519`",
        )
    return key


def statement_for(
    bundle: Bundle,
    *,
    role: str,
    signer: str,
    decision: Verdict,
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
    return SignOff(apiVersion=API_VERSION, kind="SignOff", statement=statement, signature=signature)


def to_yaml(signoff: SignOff) -> bytes:
    data = signoff.model_dump(mode="json", exclude_none=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100).encode()
