"""prior-result: a p0gate PDF report (its embedded result) or result JSON, its digest checked.
Whether it can be trusted is decided elsewhere (tests/test_prior.py)."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from p0gate.errors import EvidenceError
from p0gate.evidence.prior_result import PriorReport, PriorResultReader
from p0gate.result import load_result
from tests.bundlekit import blob_of
from tests.conftest import TEST_DATA

GOLDEN = (TEST_DATA / "golden" / "result.json").read_bytes()


def read(path: str, data: bytes) -> PriorReport:
    return PriorResultReader().read(blob_of("prior-result", path, data, "prior"))


@pytest.fixture(scope="module")
def pdf() -> bytes:
    from p0gate.formats.pdf import render_pdf

    return render_pdf(load_result(GOLDEN))


def test_a_result_json_reads_with_its_digest_and_no_pdf() -> None:
    report = read("beta.json", GOLDEN)
    assert json.loads(report.result.canonical()) == json.loads(GOLDEN) and report.pdf is None


def test_an_edited_result_is_refused() -> None:
    edited = GOLDEN.replace(b'"decision": "NO-GO"', b'"decision": "GO"')
    assert edited != GOLDEN
    with pytest.raises(EvidenceError, match=r"'prior'.*digest does not match"):
        read("beta.json", edited)


def test_a_pdf_report_gives_its_embedded_result_and_keeps_its_bytes(pdf: bytes) -> None:
    report = read("governance/beta.pdf", pdf)
    assert report.result.digest == load_result(GOLDEN).digest and report.pdf == pdf


@pytest.mark.parametrize(("data", "words"), [
    (b"%PDF-1.7\nnot really", "not a readable PDF"),
    (b"{}", "not a p0gate result"),
])
def test_what_is_no_report_is_an_evidence_error(data: bytes, words: str) -> None:
    with pytest.raises(EvidenceError, match=words):
        read("beta.bin", data)


def test_a_pdf_without_the_embedded_result_is_refused() -> None:
    from io import BytesIO

    from pypdf import PdfWriter

    out = BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.write(out)
    with pytest.raises(EvidenceError, match=r"no embedded result\.json"):
        read("other.pdf", out.getvalue())


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=len(GOLDEN) - 1), st.integers(min_value=0, max_value=255))
def test_no_edit_of_a_result_is_read_as_another_result(at: int, byte: int) -> None:
    """One byte changed anywhere: refused, or read as exactly the same result."""
    edited = GOLDEN[:at] + bytes([byte]) + GOLDEN[at + 1:]
    try:
        report = read("beta.json", edited)
    except EvidenceError:
        return
    assert report.result.payload() == load_result(GOLDEN).payload()
