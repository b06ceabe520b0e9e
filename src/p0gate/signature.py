"""Checking the PAdES signature of a PDF report (pyHanko): what an auditor's tool must say.

A p0gate report carries one signature (``/Sig``). It verifies when the signed bytes are
unchanged (``intact``), the signature value verifies with the signer's certificate
(``valid``), and nothing in the file escapes it: either the signature covers the whole file,
or every later revision is long-term-archival material (PAdES document timestamps, the DSS)
and the last document timestamp, intact, covers the rest. Trust in the signer is judged
only against a given anchor. Every way a file can fail says why in people's words: a
flipped byte in the signed ranges is "the signed bytes changed", even when the file no
longer parses (the byte ranges are then hashed here and compared with the signed digest).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from p0gate.errors import InputError

if TYPE_CHECKING:
    from pyhanko_certvalidator import ValidationContext

CHANGED = "the signed bytes changed: the file is not what was signed"
_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]")
_CMS = re.compile(rb"<(30[0-9A-Fa-f]{200,400000})>")  # a DER SEQUENCE in a PDF hex string


@dataclass(frozen=True)
class SignatureCheck:
    """What the verification of a PDF's signature found."""

    signed: bool
    intact: bool = False
    valid: bool = False
    entire_file: bool = False  # the signature (or the document timestamps after it) covers it
    trusted: bool | None = None  # None: no trust anchor was given
    signer: str = ""
    summary: str = ""
    timestamps: int = 0  # PAdES document timestamps added after the signature
    trouble: str = ""  # why the signature could not be validated at all

    @property
    def ok(self) -> bool:
        """Intact, valid, covering the file, and not untrusted (trust unknown counts here;
        ``verify`` decides whether an unchecked trust is acceptable)."""
        return (self.signed and self.intact and self.valid and self.entire_file
                and self.trusted is not False and not self.trouble)

    def verdict(self) -> str:
        """One line, the first thing `verify` prints."""
        if not self.signed:
            return "signature: NONE (the PDF is not signed)"
        if not self.ok:
            return f"signature: INVALID ({self.problems()[0]})"
        stamps = f", {self.timestamps} document timestamp(s) after it" if self.timestamps else ""
        trust = {None: "trust not checked", True: "chains to the trust anchor"}[self.trusted]
        return f"signature: VALID (intact, covers the whole file{stamps}; {trust})"

    def problems(self) -> list[str]:
        """Why the signature does not verify, most telling first (empty when ``ok``)."""
        if not self.signed:
            return ["the PDF is not signed"]
        found = []
        if not self.intact:
            found.append(CHANGED)
        elif self.trouble:
            found.append(f"the signature container is corrupt ({self.trouble})")
        elif not self.valid:
            found.append("the signature value does not verify with the signer's certificate")
        if self.intact and not self.entire_file:
            found.append("the file was changed after signing: bytes or revisions were added "
                         "that no signature covers")
        if self.trusted is False:
            found.append(f"the signer ({self.signer}) does not chain to --trust-cert")
        return found


def check_signature(data: bytes, *, trust_cert: Path | None = None) -> SignatureCheck:
    """Verify the report's signature; trust is checked only against ``trust_cert``. An
    unreadable file whose signed ranges no longer match is a broken signature; any other
    unreadable file is invalid input."""
    context = _context(trust_cert)  # a bad --trust-cert is invalid input before anything
    try:
        with quiet():  # pyHanko logs a traceback for each signature it skips
            signatures = list(_reader(data).embedded_signatures)
    except Exception as exc:  # pyHanko and its parsers raise many types on hostile files
        broken = _unreadable(data)
        if broken is not None:
            return broken
        raise InputError(f"not a readable PDF: {type(exc).__name__}: {str(exc)[:160]}") \
            from None
    regular = [s for s in signatures if s.sig_object_type == "/Sig"]
    if not regular:  # a flipped byte in the signature's own dictionary hides it from pyHanko
        return _unreadable(data) or SignatureCheck(signed=False,
                                                   summary="the PDF carries no signature")
    if len(regular) > 1:
        return SignatureCheck(signed=True, intact=True, valid=True, trouble=(
            f"{len(regular)} signatures; a p0gate report carries exactly one"))
    return _validated(data, regular[0], signatures, context, anchored=trust_cert is not None)


def _validated(data: bytes, ours: Any, signatures: list[Any], context: ValidationContext, *,
               anchored: bool) -> SignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature

    try:
        with quiet():
            status = validate_pdf_signature(ours, context)
    except Exception as exc:  # a corrupt container: never a pass, and say what broke
        intact = _ranges_changed(data) is not True
        return SignatureCheck(signed=True, intact=intact, summary=str(exc)[:200],
                              trouble=f"{type(exc).__name__}: {str(exc)[:160]}")
    later = [s for s in signatures if s.signed_revision > ours.signed_revision]
    return SignatureCheck(
        signed=True, intact=bool(status.intact), valid=bool(status.valid),
        entire_file=_covered(status, later, context),
        trusted=bool(status.trusted) if anchored else None,
        signer=common_name(status.signing_cert), summary=str(status.summary()),
        timestamps=sum(s.sig_object_type == "/DocTimeStamp" for s in later))


def _covered(status: Any, later: list[Any], context: ValidationContext) -> bool:
    """The signature covers the whole file, or only archival updates follow it and the
    last of them, an intact document timestamp, covers the rest of the file."""
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_timestamp
    from pyhanko.sign.validation.status import SignatureCoverageLevel as Coverage

    if status.coverage == Coverage.ENTIRE_FILE:
        return not later
    level = status.modification_level
    if status.coverage != Coverage.ENTIRE_REVISION or level is None \
            or level > ModificationLevel.LTA_UPDATES or not later:
        return False
    last = max(later, key=lambda s: s.signed_revision)
    if last.sig_object_type != "/DocTimeStamp":
        return False
    try:
        with quiet():
            stamp = validate_pdf_timestamp(last, context)
    except Exception:  # a broken timestamp covers nothing
        return False
    return bool(stamp.intact and stamp.valid and stamp.coverage == Coverage.ENTIRE_FILE)


def _unreadable(data: bytes) -> SignatureCheck | None:
    """What can be told of a signed file that pyHanko cannot read: its signed bytes
    changed, or only its (unsigned) signature container is broken; None when it does not
    look signed at all."""
    if not any(mark in data for mark in (b"/ByteRange", b"/Sig", b"/Contents <")):
        return None
    changed = _ranges_changed(data)
    if changed is True:
        return SignatureCheck(signed=True, summary=CHANGED)
    why = ("the file does not parse, though its signed bytes are unchanged" if changed is False
           else "no readable signature value")
    return SignatureCheck(signed=True, intact=True, trouble=why)


def _ranges_changed(data: bytes) -> bool | None:
    """Whether the bytes the last signature covers no longer hash to the digest its CMS
    signed; None when that cannot be told (no readable signature value). The signed ranges
    are its ``/ByteRange`` when that still frames the signature value, else what pyHanko
    writes: everything but the value (so a garbled ``/ByteRange``, itself signed, counts)."""
    from asn1crypto import cms

    blobs = list(_CMS.finditer(data))
    if not blobs:
        return None
    start, end = blobs[-1].span()
    try:
        info = cms.ContentInfo.load(bytes.fromhex(blobs[-1].group(1).decode()).rstrip(b"\0"))
        signer = info["content"]["signer_infos"][0]
        algorithm = signer["digest_algorithm"]["algorithm"].native
        signed = next(attr["values"][0].native for attr in signer["signed_attrs"]
                      if attr["type"].native == "message_digest")
        actual = hashlib.new(algorithm, b"".join(_covered_bytes(data, start, end))).digest()
    except Exception:  # not a CMS we can read: nothing can be told
        return None
    return bool(actual != signed)


def _covered_bytes(data: bytes, start: int, end: int) -> tuple[bytes, bytes]:
    """The two signed ranges around the signature value at ``data[start:end]``."""
    for found in _RANGE.finditer(data):
        a, b, c, d = (int(x) for x in found.groups())
        if a == 0 and b == start and c == end:
            return data[:b], data[c:c + d]
    return data[:start], data[end:]


def _reader(data: bytes) -> Any:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(BytesIO(data), strict=False)


def common_name(cert: Any) -> str:
    """The certificate's common name, else its whole subject."""
    if cert is None:
        return "unknown signer"
    subject = cert.subject.native
    return str(subject.get("common_name") or cert.subject.human_friendly)


@contextmanager
def quiet() -> Iterator[None]:
    """pyHanko logs tracebacks (untrusted path, bad password): p0gate reports these itself."""
    logger = logging.getLogger("pyhanko")
    before = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(before)


def _context(trust_cert: Path | None) -> ValidationContext:
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko_certvalidator import ValidationContext

    if trust_cert is None:
        return ValidationContext(trust_roots=[], allow_fetching=False)
    if not trust_cert.is_file():
        raise InputError(f"{trust_cert}: --trust-cert file not found")
    try:
        anchor = load_cert_from_pemder(str(trust_cert))  # type: ignore[no-untyped-call]
    except Exception:
        raise InputError(f"{trust_cert}: not a PEM or DER certificate") from None
    return ValidationContext(trust_roots=[anchor], allow_fetching=False)
