"""prior-result: the decision of an earlier gate, as a signed p0gate PDF report (the result
JSON rides inside it, design §6) or a result JSON (``evaluate --report json=…``).

The reader parses and checks the result's own digest; it does not decide whether the result
can be trusted. A JSON result proves nothing on its own (anyone can recompute a digest), and
a PDF counts only once its signature chains to the trust store: whoever builds the
evaluation's history checks ``pdf`` with the signing module.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING, ClassVar

from p0gate.errors import InputError
from p0gate.evidence.reader import fail

if TYPE_CHECKING:
    from p0gate.evidence.bundle import Blob
    from p0gate.result import Result

EMBEDDED = "result.json"  # the attachment name of p0gate's PDF reports


@dataclass(frozen=True)
class PriorReport:
    """A prior result, and the PDF bytes whose signature vouches for it (None for JSON)."""

    result: Result
    pdf: bytes | None


class PriorResultReader:
    kind: ClassVar[str] = "prior-result"
    formats: ClassVar[str] = "signed p0gate PDF report, or p0gate result JSON"

    def read(self, blob: Blob) -> PriorReport:
        from p0gate.result import load_result

        pdf = blob.data.startswith(b"%PDF-")
        raw = _embedded(blob) if pdf else blob.data
        try:
            return PriorReport(load_result(raw, name="prior result"), blob.data if pdf else None)
        except InputError as exc:
            raise fail(blob, exc.message,
                       hint="give the signed PDF report of `p0gate evaluate`") from None


def _embedded(blob: Blob) -> bytes:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        attached = PdfReader(BytesIO(blob.data)).attachments.get(EMBEDDED)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise fail(blob, f"not a readable PDF ({exc})") from None
    if not attached:
        raise fail(blob, f"the PDF has no embedded {EMBEDDED}: not a p0gate report")
    return attached[0]
