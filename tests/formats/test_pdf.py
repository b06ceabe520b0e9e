from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from p0gate.formats.pdf import ATTACHMENT, PdfFormatter, render_pdf
from p0gate.result import Result, load_result


@pytest.fixture(scope="module")
def pdf(example: Result) -> bytes:
    return PdfFormatter().render(example)


@pytest.fixture(scope="module")
def reader(pdf: bytes) -> PdfReader:
    return PdfReader(BytesIO(pdf))


def test_pdfa3b_with_the_result_embedded(reader: PdfReader, example: Result) -> None:
    xmp = reader.xmp_metadata
    assert xmp is not None
    ns = "{http://www.aiim.org/pdfa/ns/id/}"
    claims = {
        k: v
        for e in ET.fromstring(xmp.stream.get_data()).iter()
        for k, v in e.attrib.items()
        if k.startswith(ns)
    }
    assert claims == {f"{ns}part": "3", f"{ns}conformance": "B"}
    embedded = reader.attachments[ATTACHMENT][0]
    assert embedded == example.canonical()
    assert load_result(embedded).digest == example.digest


def test_cover_says_decision_system_gate_and_unsigned(reader: PdfReader, example: Result) -> None:
    cover = reader.pages[0].extract_text()
    for text in (
        example.decision,
        str(example.bundle.metadata["system"]),
        str(example.bundle.metadata["version"]),
        f"{example.gate} gate",
        "UNSIGNED",
    ):
        assert text in cover


def test_every_page_footer_carries_the_three_digests(reader: PdfReader, example: Result) -> None:
    for number, page in enumerate(reader.pages, 1):
        text = page.extract_text()
        for digest in (example.pack.digest, example.bundle.evidence_digest, example.digest):
            assert digest in text, f"page {number} lacks {digest[:12]}"


def test_sections_of_an_audit_report(reader: PdfReader, example: Result) -> None:
    text = "\n".join(page.extract_text() for page in reader.pages)
    for heading in (
        "Summary by authority",
        "Controls: measured against required",
        "Per-control detail",
        "Evidence register",
        "Waivers",
        "HIPAA 164.312 traceability matrix",
        "Final deployment authorization",
        "Compliance Authority",
        "164.312(a)(2)(iv)",
    ):
        assert heading in text
    flat = "".join(text.split())
    for control in example.controls:
        assert control.id in flat
    for ref in {e.sha256 for c in example.controls for e in c.evidence if e.sha256}:
        assert ref in flat


def test_signed_cover_names_the_signer(example: Result) -> None:
    cover = PdfReader(BytesIO(render_pdf(example, signed_by="Jane Auditor"))).pages[0]
    text = cover.extract_text()
    assert "Digitally signed (PAdES) by Jane Auditor" in text and "UNSIGNED" not in text


@pytest.mark.poppler
def test_pages_render_and_are_not_blank(pdf: bytes, tmp_path: Path) -> None:
    from PIL import Image

    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(source), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(PdfReader(BytesIO(pdf)).pages) > 3
    for png in pages:
        gray = Image.open(png).convert("L")
        inked = sum(gray.histogram()[:250]) / (gray.width * gray.height)
        assert inked > 0.03, f"{png.name} looks blank ({inked:.3f} of its pixels inked)"
