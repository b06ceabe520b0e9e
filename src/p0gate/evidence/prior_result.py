"""prior-result: a p0gate result JSON of an earlier gate (``evaluate --report json=…``).

The result's own digest is checked, so an edited result (a NO-GO turned into GO) is an
``EvidenceError``. Signed PDF reports are not read here: give the JSON report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from p0gate.errors import InputError
from p0gate.evidence.reader import fail, suffix

if TYPE_CHECKING:
    from p0gate.evidence.bundle import Blob
    from p0gate.result import Result


class PriorResultReader:
    kind: ClassVar[str] = "prior-result"
    formats: ClassVar[str] = "p0gate result JSON"

    def read(self, blob: Blob) -> Result:
        from p0gate.result import load_result

        if suffix(blob) != ".json":
            raise fail(
                blob,
                "a prior result is the JSON report of `p0gate evaluate`",
                hint="write it with --report json=PATH and add that file",
            )
        try:
            return load_result(blob.data, name="prior result")
        except InputError as exc:
            raise fail(blob, exc.message) from None
