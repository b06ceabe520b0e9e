"""`p0gate verify`: is a signed PDF report intact, attributable and true to its result?

Four questions, each a problem when the answer is no: the signature is intact, valid and
covers the whole file; the signer chains to the trust anchor (when one is given); the
embedded result's digest equals the digest printed in the report; and, with the evidence
and the policies, a re-evaluation at the embedded gate and time gives the same digest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from p0gate.errors import InputError
from p0gate.formats.pdf import ATTACHMENT
from p0gate.result import Result, load_result
from p0gate.signing import SignatureCheck, check_signature

if TYPE_CHECKING:
    from p0gate.runner import Inputs

PRINTED = re.compile(r"Result digest:?\s*((?:[0-9a-f]\s*){64})")


@dataclass(frozen=True)
class Verification:
    signature: SignatureCheck
    result: Result | None
    printed: str | None
    reevaluated: str | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_report(
    path: Path, *, trust_cert: Path | None = None, inputs: Inputs | None = None,
    cache: Path | None = None,
) -> Verification:
    """Check a PDF report; problems are collected, unreadable input raises ``InputError``.

    With ``inputs`` the evaluation is repeated and must give the embedded result's digest."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the report ({exc.strerror})") from None
    signature = check_signature(data, trust_cert=trust_cert)
    problems = list(_signature_problems(signature))
    result, printed = _embedded(data, path, problems)
    again = None
    if result is not None and inputs is not None:
        again = reevaluate(result, inputs, cache=cache)
        if again != result.digest:
            problems.append(
                f"re-evaluating the evidence gives digest {again}, the report says {result.digest}"
            )
    return Verification(signature, result, printed, again, tuple(problems))


def _signature_problems(check: SignatureCheck) -> list[str]:
    if not check.signed:
        return ["the PDF is not signed"]
    found = []
    if not (check.intact and check.valid):
        found.append("the signature does not match the document (tampered or corrupt)")
    if not check.entire_file:
        found.append("the signature does not cover the whole file (content was appended)")
    if check.trusted is False:
        found.append(f"the signer ({check.signer}) does not chain to --trust-cert")
    return found


def _embedded(data: bytes, path: Path, problems: list[str]) -> tuple[Result | None, str | None]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(BytesIO(data))
        attached = reader.attachments.get(ATTACHMENT)
        cover = reader.pages[0].extract_text() if reader.pages else ""
    except (PdfReadError, ValueError, KeyError) as exc:
        raise InputError(f"{path}: not a readable PDF ({exc})") from None
    match = PRINTED.search(cover)
    printed = re.sub(r"\s", "", match.group(1)) if match else None
    if not attached:
        problems.append(f"no embedded {ATTACHMENT}: not a p0gate PDF report")
        return None, printed
    try:
        result = load_result(attached[0], name=f"{path} ({ATTACHMENT})")
    except InputError as exc:
        problems.append(str(exc))
        return None, printed
    if printed != result.digest:
        problems.append(
            f"the printed digest ({printed or 'not found'}) differs from the "
            f"embedded result's ({result.digest})"
        )
    return result, printed


def reevaluate(result: Result, inputs: Inputs, *, cache: Path | None = None) -> str:
    """The digest of a fresh evaluation at the embedded result's gate, mode and time."""
    from p0gate.runner import evaluate_paths

    when = datetime.fromisoformat(result.evaluated_at.replace("Z", "+00:00"))
    return evaluate_paths(inputs, gate=result.gate, now=when, cache=cache,
                          mode=result.mode).digest
