"""A DEMO signing identity for tests, made by scripts/demo_cert.py (never committed keys)."""

from __future__ import annotations

import runpy
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

PASSWORD = "test-pass"


@dataclass(frozen=True)
class DemoPki:
    ca: Path
    cert: Path
    key: Path
    p12: Path


def make_pki(folder: Path) -> DemoPki:
    make = runpy.run_path(str(ROOT / "scripts" / "demo_cert.py"))["make"]
    make(folder, PASSWORD)
    return DemoPki(
        folder / "demo-ca.pem",
        folder / "demo-signer.pem",
        folder / "demo-signer.key.pem",
        folder / "demo-signer.p12",
    )


def add_document_timestamp(data: bytes) -> bytes:
    """``data`` with a PAdES document timestamp appended, as an archiving service adds one:
    by pyHanko's PdfTimeStamper, from a local test TSA (pyHanko's DummyTimeStamper, with a
    self-made RSA key and a certificate for time stamping)."""
    from io import BytesIO

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    stamper = PdfTimeStamper(DummyTimeStamper(*_tsa()))
    out = stamper.timestamp_pdf(IncrementalPdfFileWriter(BytesIO(data)), "sha256")
    return bytes(out.getvalue())


def _tsa() -> tuple[object, object]:
    from datetime import UTC, datetime, timedelta

    from asn1crypto import keys, x509
    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, "p0gate TEST TSA")])
    now = datetime.now(UTC)
    cert = (cx509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(cx509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(cx509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True)
            .sign(key, hashes.SHA256()))
    der = serialization.Encoding.DER
    private = key.private_bytes(der, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return x509.Certificate.load(cert.public_bytes(der)), keys.PrivateKeyInfo.load(private)
