"""The audit PDF: PDF/A with the result embedded, a cover and a sign-off page a regulator can
read, units on every value, charts with text alternatives, tagged for screen readers."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from p0gate.formats.base import HistoryPoint, ReportContext, Signing
from p0gate.formats.pdf import ATTACHMENT, PdfFormatter, render_pdf
from p0gate.formats.view import measured_items, needing_attention
from p0gate.result import Result, load_result

SIGNED = ReportContext(signing=Signing(signer="Jane Auditor", signed_at="2025-09-28T12:30:00Z"))


@pytest.fixture(scope="module")
def pdf(example: Result) -> bytes:
    return PdfFormatter().render(example)


@pytest.fixture(scope="module")
def reader(pdf: bytes) -> PdfReader:
    return PdfReader(BytesIO(pdf))


@pytest.fixture(scope="module")
def text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def claims(reader: PdfReader) -> dict[str, str]:
    """The XMP identification claims: {"pdfaid:part": "3", "pdfuaid:part": "1", ...}."""
    xmp = reader.xmp_metadata
    assert xmp is not None
    names = {"http://www.aiim.org/pdfa/ns/id/": "pdfaid",
             "http://www.aiim.org/pdfua/ns/id/": "pdfuaid"}
    found = {}
    for element in ET.fromstring(xmp.stream.get_data()).iter():
        for key, value in element.attrib.items():
            space, _, name = key[1:].partition("}")
            if space in names:
                found[f"{names[space]}:{name}"] = value
        space, _, name = element.tag[1:].partition("}")
        if space in names:
            found[f"{names[space]}:{name}"] = element.text or ""
    return found


def test_pdfa3b_on_pdf17_with_the_result_embedded(reader: PdfReader, example: Result) -> None:
    assert claims(reader) == {"pdfaid:part": "3", "pdfaid:conformance": "B",
                              "pdfuaid:part": "1"}
    assert reader.pdf_header == "%PDF-1.7"
    embedded = reader.attachments[ATTACHMENT][0]
    assert embedded == example.canonical()
    assert load_result(embedded).digest == example.digest


def test_cover_decision_gate_system_signer_and_what_did_not_pass(sample: Result) -> None:
    cover = PdfReader(BytesIO(render_pdf(sample, SIGNED))).pages[0].extract_text()
    version = str(sample.bundle.metadata["version"])
    for expected in (sample.decision, str(sample.bundle.metadata["system"]), version,
                     f"{sample.gate} gate", "Jane Auditor", "2025-09-28T12:30:00Z"):
        assert expected in cover
    assert "UNSIGNED" not in cover
    lines = cover.splitlines()
    for control in needing_attention(sample):  # one line each, the id unbroken
        line = next(line for line in lines if control.id in line)
        assert control.outcome.value in line
    assert "waived until 2025-10-02 by Jane Roe" in cover
    assert "Result digest" in cover and sample.digest in cover.replace("\n", "")


def test_an_unsigned_cover_says_so(reader: PdfReader) -> None:
    assert "UNSIGNED" in reader.pages[0].extract_text()


def test_signoff_page_lists_every_statement_of_the_bundle(reader: PdfReader,
                                                          example: Result) -> None:
    page = " ".join(reader.pages[1].extract_text().split())
    flat = "".join(page.split())
    assert "Sign-offs" in page
    for authority in example.pack.authorities:
        assert authority.title in page
    for statement in example.signoffs:
        assert statement.signer and statement.signer in page
        assert statement.key_fingerprint and statement.key_fingerprint in flat
        assert statement.signed_at and statement.signed_at in page
    assert page.count("verified") >= len(example.signoffs)


def test_every_page_footer_carries_the_three_digests(reader: PdfReader, example: Result) -> None:
    for number, page in enumerate(reader.pages, 1):
        found = page.extract_text()
        for digest in (example.pack.digest, example.bundle.evidence_digest, example.digest):
            assert digest in found, f"page {number} lacks {digest[:12]}"


def test_sections_come_from_the_pack(text: str, example: Result) -> None:
    for heading in ("Summary by authority", "Controls", "Per-control detail",
                    "Evidence register", "Waivers", "Traceability: HIPAA Security Rule",
                    "Traceability: p0-deployment-guide", "164.312(a)(2)(iv)"):
        assert heading in text
    for control in example.controls:
        if control.outcome.value != "not_applicable":
            assert control.id in text  # whole, on one line: ids never break
        if control.outcome.value != "pass" or control.figure is not None:
            for ref in control.evidence:  # nor do the artifact ids of the detail
                assert ref.id in text, ref.id
    for ref in {e.sha256 for c in example.controls for e in c.evidence if e.sha256}:
        assert ref in "".join(text.split())


def test_values_carry_units_and_never_break_inside(text: str, example: Result) -> None:
    lines = [" ".join(line.replace("\u00a0", " ").split()) for line in text.splitlines()]
    joined = "\n".join(lines)
    for control in example.controls:
        for item in measured_items(control):
            number_unit = re.search(r"\d[\d.]*( ?[%a-z/]+)?$", item)
            if number_unit and control.units:
                assert number_unit.group(0) in joined, f"{control.id}: {item}"
    assert "rate 0.5%" in joined and "<= 0.1%" in joined


def test_charts_are_figures_with_alternative_text(reader: PdfReader, example: Result) -> None:
    tree = structure(reader)
    figures = [e for e in tree if e.get("/S") == "/Figure"]
    charted = [c for c in example.controls if c.figure is not None]
    assert len(figures) == len(charted) > 0
    assert all(str(f.get("/Alt", "")).startswith(tuple(c.id for c in charted))
               for f in figures)


def test_tagged_for_screen_readers(reader: PdfReader) -> None:
    catalog = reader.root_object
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert str(catalog["/Lang"]) == "en"
    kinds = {str(e.get("/S")) for e in structure(reader)}
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/Figure", "/Caption"} <= kinds


def structure(reader: PdfReader) -> list[dict[str, object]]:
    """Every structure element of the tag tree."""
    found: list[dict[str, object]] = []
    pending = [reader.root_object["/StructTreeRoot"].get_object()]
    while pending:
        node = pending.pop()
        kids = node.get("/K", [])
        kids = kids if isinstance(kids, list) else [kids]
        for kid in kids:
            obj = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(obj, dict) and "/S" in obj:
                found.append(obj)
                pending.append(obj)
    return found


def test_no_reference_matrix_for_a_framework_nobody_cites(sample: Result) -> None:
    plain = sample.model_copy(update={"controls": [
        c.model_copy(update={"references": []}) for c in sample.controls]})
    found = "\n".join(p.extract_text() for p in PdfReader(BytesIO(render_pdf(plain))).pages)
    assert "Traceability" not in found and "HIPAA" not in found


def test_history_chart_when_a_ledger_is_given(sample: Result) -> None:
    history = (HistoryPoint("2025-09-20T10:00:00Z", "beta", "NO-GO", "1.4.2"),
               HistoryPoint("2025-09-28T12:00:00Z", "beta", "GO", "1.4.3", current=True))
    found = "\n".join(p.extract_text() for p in PdfReader(BytesIO(
        render_pdf(sample, ReportContext(history=history)))).pages)
    assert "Decisions per gate" in found
    without = "\n".join(p.extract_text() for p in PdfReader(BytesIO(render_pdf(sample))).pages)
    assert "Decisions per gate" not in without


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
