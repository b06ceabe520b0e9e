"""signoff: a signed YAML statement (design §6), parsed; the signature is checked by the check.

A sign-off is a YAML document (``kind: SignOff``) with a ``statement`` (role, signer, verdict,
subject with the bundle's evidence digest, signed_at) and a ``signature`` over the statement's
canonical JSON (sorted keys, no whitespace). The signature names its key by the sha256 of the
raw public key. A file that is not a well-formed ``SignOff`` (unknown keys, a malformed
signature value, a missing field) is an ``EvidenceError`` naming the artifact and the field:
never a pass.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import TYPE_CHECKING, Annotated, ClassVar, Literal

from pydantic import AwareDatetime, Field, field_validator

from p0gate import outcome
from p0gate.documents import Document, Model, validated
from p0gate.errors import InputError
from p0gate.evidence.reader import fail, text
from p0gate.outcome import Verdict
from p0gate.yamlio import worded

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from p0gate.evidence.bundle import Blob

ROLE = worded(outcome.ROLE, outcome.ROLE_WORDS)
DIGEST = worded(r"^[0-9a-f]{64}$", "a sha256 digest: 64 lower-case hexadecimal digits")


class Subject(Model):
    system: str = Field(min_length=1, description="the bundle's metadata.system")
    version: str = Field(min_length=1, description="the bundle's metadata.version")
    evidence_digest: str = Field(
        pattern=DIGEST,
        description=(
            "sha256 over the bundle metadata and every field of the manifest entries of "
            "every non-signoff artifact (design §6)"
        ),
    )
    scope: list[str] | None = Field(None, min_length=1, description=(
        "what the signer approves, e.g. [GV-1, CL-3]: a `signoff` check with a `scope` "
        "counts an approval only when it lists that scope (a rejection counts everywhere)"))


class Statement(Model):
    role: str = Field(pattern=ROLE, description="e.g. clinical-authority")
    signer: str = Field(min_length=1, description="the person, as named in the trust store")
    decision: Verdict = Field(description="approve | reject")
    subject: Subject
    signed_at: Annotated[AwareDatetime, Field(strict=False, description="ISO 8601 with zone")]
    comment: str | None = Field(None, description="optional remark of the signer")

    def canonical(self) -> bytes:
        data = self.model_dump(mode="json", exclude_none=True)
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


class Signature(Model):
    algorithm: Literal["ed25519"]
    key_sha256: str = Field(
        pattern=DIGEST,
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


class SignOff(Document):
    kind: Literal["SignOff"]
    statement: Statement
    signature: Signature


def fingerprint(key: Ed25519PublicKey) -> str:
    """sha256 of the raw public key: how a signature names its key."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return hashlib.sha256(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()


class SignoffReader:
    kind: ClassVar[str] = "signoff"
    formats: ClassVar[str] = "signed YAML statement (kind: SignOff)"

    def read(self, blob: Blob) -> SignOff:
        from p0gate.yamlio import load_yaml

        try:
            data, lines = load_yaml(blob.file, text=text(blob))
        except InputError as exc:
            raise fail(blob, exc.message) from None
        try:
            return validated(SignOff, data, lines)
        except InputError as error:
            loc = error.location
            where = f"line {loc.line} ({loc.field}): " if loc and loc.line else ""
            raise fail(
                blob,
                f"not a valid sign-off: {where}{error.message}",
                hint="write sign-offs with `p0gate signoff`",
            ) from None
