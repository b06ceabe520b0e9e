"""Tampered signed PDF reports: `p0gate verify` must never say verified."""

from __future__ import annotations

from pathlib import Path

import pytest

from p0gate.signing import load_signer, sign_report
from tests.conftest import EXAMPLES, NOW, POLICIES
from tests.hostile.kit import cli
from tests.signkit import PASSWORD, make_pki


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from p0gate.runner import Inputs, evaluate_paths

    pki = make_pki(tmp_path_factory.mktemp("pki"))
    result = evaluate_paths(
        Inputs(evidence=EXAMPLES / "lifecycle" / "01-pre-release", policies=POLICIES),
        gate="beta",
        now=NOW,
    )
    return sign_report(result, load_signer(pkcs12=pki.p12, password=PASSWORD.encode()))


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


TAMPER = {
    "flip-early": lambda d: _flip(d, 200),
    "flip-middle": lambda d: _flip(d, len(d) // 2),
    "flip-late": lambda d: _flip(d, len(d) - 300),
    "appended-update": lambda d: d + b"\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n",
    "appended-junk": lambda d: d + b"\x00" * 64,
    "truncated-half": lambda d: d[: len(d) // 2],
    "truncated-tail": lambda d: d[:-100],
    "empty": lambda d: b"",
    "junk": lambda d: bytes(range(256)) * 8,
    "header-only": lambda d: b"%PDF-1.7\n%%EOF\n",
    "digest-swapped": lambda d: _swap_digest(d),
}


def _swap_digest(data: bytes) -> bytes:
    """A changed byte in the report's digest text; a PDF 2.0 report compresses its metadata,
    so there the change goes into its catalog."""
    at = data.find(b"digest")
    if at >= 0:
        return data[:at] + b"dIgest" + data[at + 6:]
    return _flip(data, data.index(b"/Type /Catalog") + 8)


@pytest.mark.parametrize("how", sorted(TAMPER))
def test_tampered_reports_do_not_verify(
    how: str, signed: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.pdf"
    tampered = TAMPER[how](signed)
    assert tampered != signed
    report.write_bytes(tampered)
    got = cli(capsys, "verify", str(report))
    assert got.code in (1, 3), (got.code, got.out, got.err)
    assert "Traceback" not in got.out + got.err
    assert "NOT verified" in got.out or got.code == 3


def test_the_untampered_signature_is_intact(signed: bytes) -> None:
    """The control case: the same bytes, untampered, carry an intact signature over the file."""
    from p0gate.signing import check_signature

    found = check_signature(signed)
    assert found.signed and found.intact and found.valid and found.entire_file
