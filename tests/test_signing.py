from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from p0gate.errors import InputError, OutputError
from p0gate.formats.base import PLAIN
from p0gate.formats.pdf import ATTACHMENT
from p0gate.result import Result, load_result
from p0gate.signing import (
    Identity,
    check_signature,
    load_signer,
    pdf_version,
    pdfa_for,
    sign_report,
)
from tests.conftest import ROOT
from tests.signkit import PASSWORD, DemoPki, make_pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> DemoPki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def result() -> Result:
    return load_result((ROOT / "tests/data/golden/result.json").read_bytes())


AT = datetime(2025, 9, 28, 12, 30, tzinfo=UTC)


def sign(result: Result, identity: Identity) -> bytes:
    return sign_report(result, identity, PLAIN, at=AT)


@pytest.fixture(scope="module")
def signed(pki: DemoPki, result: Result) -> bytes:
    identity = load_signer(pkcs12=pki.p12, password=PASSWORD.encode())
    return sign(result, identity)


def xmp_claims(data: bytes) -> tuple[str, str]:
    """(pdfaid:part, pdfuaid:part) from the XMP of the first revision (what the signature
    covers: the signed file's XMP is the rendered one)."""
    import re

    xmp = PdfReader(BytesIO(data)).xmp_metadata
    assert xmp is not None
    text = xmp.stream.get_data().decode()
    a = re.search(r'pdfaid:part="(\d)"', text)
    ua = re.search(r'pdfuaid:part="(\d)"', text)
    assert a and ua
    return a.group(1), ua.group(1)


@pytest.mark.parametrize(("key_type", "version", "part", "ua"), [
    ("rsa", "1.7", "3", "1"), ("ec", "2.0", "4", "2"), ("ed25519", "2.0", "4", "2")])
def test_pdf_version_and_pdfa_claim_agree_for_every_key_type(
    key_type: str, version: str, part: str, ua: str, result: Result,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    pki = make_pki(tmp_path_factory.mktemp(key_type), key_type)
    identity = load_signer(key=pki.key, cert=pki.cert)
    data = sign(result, identity)
    assert pdf_version(data) == version
    assert xmp_claims(data) == (part, ua)
    assert pdfa_for(identity) == ("pdf/a-3b" if part == "3" else "pdf/a-4f")
    check = check_signature(data, trust_cert=pki.ca)
    assert check.ok and check.intact and check.entire_file
    cover = PdfReader(BytesIO(data)).pages[0].extract_text()
    assert "2025-09-28T12:30:00Z" in cover


def test_pkcs12_signature_is_intact_covers_the_file_and_chains(signed: bytes, pki: DemoPki) -> None:
    check = check_signature(signed, trust_cert=pki.ca)
    assert (check.signed, check.intact, check.valid, check.entire_file, check.trusted) == (
        True,
        True,
        True,
        True,
        True,
    )
    assert check.signer == "p0gate DEMO signer (not for production)"
    assert check.ok


def test_signing_keeps_the_embedded_result_and_names_the_signer(
    signed: bytes, result: Result
) -> None:
    reader = PdfReader(BytesIO(signed))
    assert reader.attachments[ATTACHMENT][0] == result.canonical()
    assert "Signed (PAdES) by p0gate DEMO signer" in reader.pages[0].extract_text()


def test_pem_key_and_certificate_sign_too(pki: DemoPki, result: Result) -> None:
    identity = load_signer(key=pki.key, cert=pki.cert)
    assert check_signature(sign(result, identity)).ok


def test_without_trust_anchor_trust_is_not_checked(signed: bytes) -> None:
    check = check_signature(signed)
    assert check.trusted is None and check.ok


def test_other_anchor_is_not_trusted(signed: bytes, tmp_path: Path) -> None:
    other = make_pki(tmp_path)
    check = check_signature(signed, trust_cert=other.ca)
    assert check.trusted is False and not check.ok


def test_a_changed_byte_breaks_the_signature(signed: bytes) -> None:
    tampered = bytearray(signed)
    tampered[len(signed) // 3] ^= 0x01
    check = check_signature(bytes(tampered))
    assert not check.intact and not check.ok


def test_appended_bytes_are_not_covered(signed: bytes) -> None:
    check = check_signature(signed + b"\n%%appended\n")
    assert check.intact and not check.entire_file and not check.ok


def test_unsigned_pdf(result: Result) -> None:
    from p0gate.formats.pdf import PdfFormatter

    check = check_signature(PdfFormatter().render(result))
    assert not check.signed and not check.ok


def test_wrong_password_and_missing_files_are_clear_errors(pki: DemoPki, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="P0GATE_PKCS12_PASSWORD"):
        load_signer(pkcs12=pki.p12, password=b"wrong")
    with pytest.raises(InputError, match="not found"):
        load_signer(pkcs12=tmp_path / "absent.p12", password=None)
    with pytest.raises(InputError, match="--key PEM together with --cert"):
        load_signer(key=pki.key)
    with pytest.raises(InputError, match="not a readable PDF"):
        check_signature(b"%PDF-1.7 garbage")


def _pdfsig(data: bytes, folder: Path) -> str:
    path = folder / f"r{datetime.now(UTC).timestamp()}.pdf"
    path.write_bytes(data)
    run = subprocess.run(
        ["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    return run.stdout + run.stderr


@pytest.mark.poppler
def test_poppler_pdfsig_sees_a_valid_signature_and_a_mismatch(
    signed: bytes, tmp_path: Path
) -> None:
    text = _pdfsig(signed, tmp_path)
    assert "Signature is Valid." in text and "Total document signed" in text
    tampered = bytearray(signed)
    tampered[len(signed) // 3] ^= 0x01
    assert "Digest Mismatch." in _pdfsig(bytes(tampered), tmp_path)  # pdfsig still exits 0
