"""PAdES signing of PDF reports (pyHanko).

``load_signer`` reads an X.509 identity from PKCS#12 or PEM; ``sign_pdf`` appends a PAdES
signature by incremental update (the PDF/A attachment stays intact); ``sign_report`` signs
only a result that agrees with itself (``consistent``). Checking a signature is
``p0gate.signature`` (``check_signature`` is re-exported here). Sign-off statements
(Ed25519 over the evidence digest) are not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from p0gate.errors import InputError, OutputError
from p0gate.signature import SignatureCheck, check_signature, common_name, quiet

__all__ = ["Identity", "SignatureCheck", "check_signature", "consistent", "load_signer",
           "sign_pdf", "sign_report"]

if TYPE_CHECKING:
    from pyhanko.sign.signers import SimpleSigner

    from p0gate.formats.base import ReportContext
    from p0gate.result import Result

FIELD = "p0gateSignature"
# Signature algorithms PDF 2.0 defines (ISO 32002): pyHanko writes /Version 2.0 for them.
PDF2_CURVES = frozenset({"secp256r1", "secp384r1", "secp521r1"})


@dataclass(frozen=True)
class Identity:
    """A loaded signing key and certificate; ``name`` is the certificate's subject."""

    signer: SimpleSigner
    name: str


def load_signer(
    *,
    pkcs12: Path | None = None,
    password: bytes | None = None,
    key: Path | None = None,
    cert: Path | None = None,
) -> Identity:
    """The signing identity from a PKCS#12 file, or from a PEM key and certificate."""
    from pyhanko.sign.signers import SimpleSigner

    for path in (p for p in (pkcs12, key, cert) if p is not None):
        if not path.is_file():
            raise InputError(f"{path}: signing key or certificate not found")
    if pkcs12 is not None:
        with quiet():
            signer = SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
                str(pkcs12), passphrase=password
            )
        what = f"{pkcs12} (check P0GATE_PKCS12_PASSWORD)"
    elif key is not None and cert is not None:
        with quiet():
            signer = SimpleSigner.load(str(key), str(cert))  # type: ignore[no-untyped-call]
        what = f"{key} / {cert} (PEM, unencrypted key)"
    else:
        raise InputError("signing needs --pkcs12 FILE, or --key PEM together with --cert PEM")
    if signer is None:
        raise OutputError(f"cannot load the signing identity from {what}")
    return Identity(signer, _subject(signer))


def _subject(signer: SimpleSigner) -> str:
    return common_name(signer.signing_cert)


def sign_pdf(data: bytes, identity: Identity, *, at: datetime | None = None) -> bytes:
    """``data`` with a PAdES signature appended as an incremental update; ``at`` is the
    signing time the signature carries (default: now)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    cert = identity.signer.signing_cert
    eddsa = cert is not None and cert.public_key.algorithm in {"ed25519", "ed448"}
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm=None if eddsa else "sha256",  # EdDSA fixes its own (SHA-512, SHAKE256)
        reason="p0gate release gate report",
    )
    writer = IncrementalPdfFileWriter(BytesIO(data))
    out = BytesIO()
    try:
        _timed_signer(meta, identity.signer, at).sign_pdf(writer, output=out)
    except Exception as exc:  # pyHanko raises many types; any of them is a signing failure
        raise OutputError(f"signing the PDF failed: {type(exc).__name__}: {exc}") from None
    return out.getvalue()


def _timed_signer(meta: Any, signer: SimpleSigner, at: datetime | None) -> Any:
    """A pyHanko ``PdfSigner`` whose signing session uses ``at`` as its time."""
    from pyhanko.sign import signers

    class Timed(signers.PdfSigner):
        def init_signing_session(self, *args: Any, **kwargs: Any) -> Any:
            session = super().init_signing_session(*args, **kwargs)
            if at is not None:
                session.system_time = at
            return session

    return Timed(meta, signer=signer)


def pdfa_for(identity: Identity) -> str:
    """The PDF/A part a report signed by ``identity`` can claim: PDF/A-4f when the key's
    signature algorithm is one PDF 2.0 defines (Ed25519, Ed448, ECDSA on P-256/384/521),
    because signing then makes the file PDF 2.0; PDF/A-3b (PDF 1.7) for RSA and others."""
    cert = identity.signer.signing_cert
    if cert is None:
        return "pdf/a-3b"
    key = cert.public_key
    if key.algorithm in {"ed25519", "ed448"}:
        return "pdf/a-4f"
    if key.algorithm == "ec" and key.curve[1] in PDF2_CURVES:
        return "pdf/a-4f"
    return "pdf/a-3b"


def pdf_version(data: bytes) -> str:
    """The PDF version a file claims: its catalog's ``/Version`` when later, else the header."""
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(data))
    header = reader.pdf_header.removeprefix("%PDF-")
    catalog = str(reader.root_object.get("/Version", "")).lstrip("/")
    return max(header, catalog) if re.fullmatch(r"\d\.\d", catalog) else header


def consistent(result: Result, *, name: str = "the result") -> Result:
    """``result``, unless it disagrees with itself under the gate rule (``InputError``)."""
    from p0gate.gate import contradictions

    found = contradictions(result)
    if found:
        shown = "; ".join(found[:5]) + (f"; and {len(found) - 5} more" if len(found) > 5 else "")
        raise InputError(f"{name} disagrees with itself: {shown}",
                         hint="a result is signed and verified only when its decision, counts "
                         "and flags follow from its own controls")
    return result


def sign_report(result: Result, identity: Identity, context: ReportContext | None = None, *,
                at: datetime | None = None) -> bytes:
    """The PDF report of ``result``, its cover naming the signer and the signing time, signed
    PAdES at ``at``; a result that disagrees with itself is never signed. The PDF/A part
    follows the key, and the signed file's version must agree with it: a mismatch is an
    output error, never a report that claims what it is not."""
    from dataclasses import replace
    from datetime import UTC

    from p0gate.formats.base import PLAIN, Signing
    from p0gate.formats.pdf import VARIANTS, render_pdf

    consistent(result)
    at = at or datetime.now(UTC)
    variant = pdfa_for(identity)
    stamp = at.isoformat(timespec="seconds").replace("+00:00", "Z")
    signing = Signing(signer=identity.name, signed_at=stamp, pdfa=variant)
    page = render_pdf(result, replace(context or PLAIN, signing=signing))
    signed = sign_pdf(page, identity, at=at)
    version = pdf_version(signed)
    if version != VARIANTS[variant][0]:
        raise OutputError(f"the signed PDF is version {version}, but it claims {variant} "
                          f"(PDF {VARIANTS[variant][0]}); not written")
    return signed
