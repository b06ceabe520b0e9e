"""PAdES signing of PDF reports (pyHanko).

``load_signer`` reads an X.509 identity from PKCS#12 or PEM; ``sign_pdf`` appends a PAdES
signature by incremental update (the PDF/A attachment stays intact); ``sign_report`` signs
only a result that agrees with itself (``consistent``). Checking a signature is
``p0gate.signature`` (``check_signature`` is re-exported here). Sign-off statements
(Ed25519 over the evidence digest) are not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from p0gate.errors import InputError, OutputError
from p0gate.signature import SignatureCheck, check_signature, common_name, quiet

__all__ = ["Identity", "SignatureCheck", "check_signature", "consistent", "load_signer",
           "sign_pdf", "sign_report"]

if TYPE_CHECKING:
    from pyhanko.sign.signers import SimpleSigner

    from p0gate.result import Result

FIELD = "p0gateSignature"


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


def sign_pdf(data: bytes, identity: Identity) -> bytes:
    """``data`` with a PAdES signature appended as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(
        field_name=FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason="p0gate release gate report",
    )
    writer = IncrementalPdfFileWriter(BytesIO(data))
    out = BytesIO()
    try:
        signers.sign_pdf(writer, meta, signer=identity.signer, output=out)
    except Exception as exc:  # pyHanko raises many types; any of them is a signing failure
        raise OutputError(f"signing the PDF failed: {type(exc).__name__}: {exc}") from None
    return out.getvalue()


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


def sign_report(result: Result, identity: Identity) -> bytes:
    """The PDF report of ``result``, its cover naming the signer, signed PAdES; a result
    that disagrees with itself is never signed."""
    from p0gate.formats.pdf import render_pdf

    consistent(result)
    return sign_pdf(render_pdf(result, signed_by=identity.name), identity)
