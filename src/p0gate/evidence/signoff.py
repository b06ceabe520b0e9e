"""signoff: a signed YAML statement (design §6), parsed; the signature is checked by the check.

A file that is not a well-formed ``SignOff`` (unknown keys, a malformed signature value, a
missing field) is an ``EvidenceError`` naming the artifact and the field: never a pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from p0gate.errors import InputError
from p0gate.evidence.reader import fail, text

if TYPE_CHECKING:
    from p0gate.evidence.bundle import Blob
    from p0gate.signoff import SignOff


class SignoffReader:
    kind: ClassVar[str] = "signoff"
    formats: ClassVar[str] = "signed YAML statement (kind: SignOff)"

    def read(self, blob: Blob) -> SignOff:
        from pydantic import ValidationError

        from p0gate.signoff import SignOff
        from p0gate.yamlio import load_yaml, validation_error

        try:
            data, lines = load_yaml(blob.file, text=text(blob))
        except InputError as exc:
            raise fail(blob, exc.message) from None
        try:
            return SignOff.model_validate(data)
        except ValidationError as exc:
            error = validation_error(exc, data, lines)
            loc = error.location
            where = f"line {loc.line} ({loc.field}): " if loc and loc.line else ""
            raise fail(
                blob,
                f"not a valid sign-off: {where}{error.message}",
                hint="write sign-offs with `p0gate signoff`",
            ) from None
