"""pdf: a tagged PDF/A audit report rendered by WeasyPrint, with the result JSON embedded.

The PDF version and the PDF/A claim always agree. An unsigned report, or one signed with an
RSA key, is PDF/A-3b on PDF 1.7. A signature with an ECDSA (P-256/384/521) or EdDSA key is
one that PDF 2.0 defines (ISO 32002), and pyHanko writes ``/Version /2.0`` into the catalog
when it signs with one; those reports are therefore rendered as PDF/A-4f on PDF 2.0 in the
first place (``p0gate.signing`` chooses, from the key). Both are tagged for accessibility
(PDF/UA: headings, tables with header cells, charts as figures with a text alternative) and
say so in their XMP: PDF/UA-1 on 1.7, PDF/UA-2 on 2.0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from p0gate.formats.base import PLAIN, ReportContext

if TYPE_CHECKING:
    from p0gate.result import Result

ATTACHMENT = "result.json"
VARIANTS = {"pdf/a-3b": ("1.7", 1), "pdf/a-4f": ("2.0", 2)}  # PDF version, PDF/UA part
PDFUA = "http://www.aiim.org/pdfua/ns/id/"


class PdfFormatter:
    name: ClassVar[str] = "pdf"
    description: ClassVar[str] = "tagged PDF/A audit report with the result JSON embedded"

    def render(self, result: Result, context: ReportContext = PLAIN) -> bytes:
        return render_pdf(result, context)


def render_pdf(result: Result, context: ReportContext = PLAIN) -> bytes:
    """The report as PDF bytes: PDF/A-3b, or the PDF/A part ``context.signing`` asks for."""
    import logging
    import warnings

    from weasyprint import HTML, Attachment

    from p0gate.formats.templating import render, templates_dir

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    variant = context.signing.pdfa if context.signing else "pdf/a-3b"
    data = Attachment(string=result.canonical(), name=ATTACHMENT, relationship="Data",
                      description=f"p0gate result, digest {result.digest}")
    page = HTML(string=render("report.pdf.j2", result, context), base_url=str(templates_dir()))
    with warnings.catch_warnings():  # WeasyPrint 70 leaves its sRGB ICC profile file open
        warnings.simplefilter("ignore", ResourceWarning)
        document = page.render(pdf_variant=variant, pdf_tags=True)
        _claim_pdfua(document.metadata, VARIANTS[variant][1])
        pdf = document.write_pdf(pdf_variant=variant, pdf_tags=True, attachments=[data])
    assert pdf is not None  # no target: WeasyPrint returns the bytes
    return bytes(pdf)


def _claim_pdfua(metadata: Any, part: int) -> None:
    """Add ``pdfuaid:part`` (and its revision on part 2) beside WeasyPrint's PDF/A claim in
    the one XMP description it writes."""
    import xml.etree.ElementTree as ET

    original = metadata.generate_rdf_metadata

    def with_pdfua(*args: Any, **kwargs: Any) -> bytes:
        rdf = ET.fromstring(original(*args, **kwargs))
        description = rdf[0]
        description.set(f"{{{PDFUA}}}part", str(part))
        if part == 2:
            ET.SubElement(description, f"{{{PDFUA}}}rev").text = "2024"
        return bytes(ET.tostring(rdf))

    metadata.generate_rdf_metadata = with_pdfua
