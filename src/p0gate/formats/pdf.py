"""pdf: a PDF/A-3b audit report rendered by WeasyPrint, with the result JSON embedded.

``render`` writes an unsigned report whose cover says so; ``render_pdf(result,
signed_by=...)`` writes the cover for a report that ``p0gate.signing`` then signs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from p0gate.result import Result

ATTACHMENT = "result.json"
VARIANT = "pdf/a-3b"


class PdfFormatter:
    name: ClassVar[str] = "pdf"
    description: ClassVar[str] = "PDF/A-3b audit report with the result JSON embedded"

    def render(self, result: Result) -> bytes:
        return render_pdf(result, signed_by=None)


def render_pdf(result: Result, *, signed_by: str | None) -> bytes:
    """The report as PDF/A-3b bytes; ``signed_by`` (the signer's name) goes on the cover."""
    import logging
    import warnings

    from weasyprint import HTML, Attachment

    from p0gate.formats.templating import render, templates_dir

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    page = render("report.pdf.j2", result, signed_by=signed_by)
    data = Attachment(
        string=result.canonical(),
        name=ATTACHMENT,
        relationship="Data",
        description=f"p0gate result, digest {result.digest}",
    )
    document = HTML(string=page, base_url=str(templates_dir()))
    with warnings.catch_warnings():  # WeasyPrint 70 leaves its sRGB ICC profile file open
        warnings.simplefilter("ignore", ResourceWarning)
        pdf = document.write_pdf(pdf_variant=VARIANT, attachments=[data])
    assert pdf is not None  # no target: WeasyPrint returns the bytes
    return bytes(pdf)
