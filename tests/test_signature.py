"""The signature check: document timestamps, hostile bytes, and what each failure says."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from p0gate.errors import InputError
from p0gate.result import Result, load_result
from p0gate.signature import CHANGED, check_signature
from p0gate.signing import load_signer, sign_report
from tests.conftest import TEST_DATA
from tests.signkit import PASSWORD, DemoPki, add_document_timestamp, make_pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> DemoPki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def result() -> Result:
    return load_result((TEST_DATA / "golden" / "result.json").read_bytes())


@pytest.fixture(scope="module")
def signed(pki: DemoPki, result: Result) -> bytes:
    return sign_report(result, load_signer(pkcs12=pki.p12, password=PASSWORD.encode()))


@pytest.fixture(scope="module")
def stamped(signed: bytes) -> bytes:
    return add_document_timestamp(signed)


def test_a_document_timestamp_after_the_signature_keeps_it_valid(
    stamped: bytes, pki: DemoPki
) -> None:
    check = check_signature(stamped, trust_cert=pki.ca)
    assert check.ok and check.entire_file and check.trusted and check.timestamps == 1
    assert check.verdict().startswith("signature: VALID (intact, covers the whole file, 1 ")


def test_a_second_timestamp_too(stamped: bytes, pki: DemoPki) -> None:
    check = check_signature(add_document_timestamp(stamped), trust_cert=pki.ca)
    assert check.ok and check.timestamps == 2


@pytest.mark.parametrize("tail", [b"\n%%junk\n", b"\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"])
def test_bytes_after_the_last_timestamp_are_not_covered(stamped: bytes, tail: bytes) -> None:
    check = check_signature(stamped + tail)
    assert check.intact and not check.entire_file and not check.ok
    assert "no signature covers" in check.problems()[0]


def test_a_second_signature_is_refused(signed: bytes, pki: DemoPki) -> None:
    """A p0gate report carries one signature: a second one (a countersignature, or someone
    re-signing an edited file) is not judged away."""
    from io import BytesIO

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    out = BytesIO()
    signers.sign_pdf(IncrementalPdfFileWriter(BytesIO(signed)),
                     signers.PdfSignatureMetadata(field_name="Countersignature"),
                     signer=load_signer(key=pki.key, cert=pki.cert).signer, output=out)
    again = out.getvalue()
    check = check_signature(again, trust_cert=pki.ca)
    assert not check.ok and "carries exactly one" in check.problems()[0]


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


def _signed_ranges(data: bytes) -> list[int]:
    import re

    found = re.findall(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", data)
    a, b, c, d = (int(x) for x in found[-1])
    return [*range(a, a + b), *range(c, c + d)]


def test_every_flipped_signed_byte_says_the_signed_bytes_changed(signed: bytes) -> None:
    """Wherever one byte of the signed ranges flips (about 150 places, and the names of the
    signature's own dictionary, which hide it from a PDF reader), the verdict names the
    change, not a certificate or a parse error."""
    positions = _signed_ranges(signed)
    named = [signed.rindex(word) + 2 for word in (b"/ByteRange", b"/Contents", b"/SubFilter",
                                                  b"/Type /Sig", b"%%EOF", b"startxref")]
    for at in [*positions[:: max(1, len(positions) // 150)], *named]:
        check = check_signature(_flip(signed, at))
        assert not check.ok and check.problems()[0] == CHANGED, (at, check)


def test_flips_in_the_signature_container_never_verify_or_crash(signed: bytes) -> None:
    """The /Contents hex is outside the signed ranges: a flip there breaks the signature
    container (never a pass), or lands in its padding or unsigned certificate list."""
    covered = set(_signed_ranges(signed))
    gap = [i for i in range(len(signed)) if i not in covered]
    for at in gap[:: max(1, len(gap) // 60)]:
        check = check_signature(_flip(signed, at))
        assert check.ok or check.problems()[0] != CHANGED or not check.intact


def test_an_unsigned_garbage_file_is_invalid_input() -> None:
    with pytest.raises(InputError, match="not a readable PDF"):
        check_signature(b"%PDF-1.7 garbage")


def test_a_missing_trust_cert_is_invalid_input(signed: bytes, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        check_signature(signed, trust_cert=tmp_path / "absent.pem")


@pytest.mark.poppler
def test_pdfsig_still_sees_a_valid_signature_beside_the_timestamp(
    stamped: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "stamped.pdf"
    path.write_bytes(stamped)
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60,
                         check=False).stdout
    first = out.split("Signature #2")[0]
    assert "p0gateSignature" in first and "Signature is Valid." in first
    assert "Signature #2" in out  # the document timestamp
