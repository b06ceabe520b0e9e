"""Traceability matrices: one per framework the pack's controls reference.

A row is a reference id with the controls that cite it and their worst outcome. Nothing is
shown for a framework no control references: a pack without HIPAA references gets no HIPAA
matrix. For a few public catalogs (``CATALOGS``) the matrix also lists what no control
covers, with the catalog's titles; the pack's own ids are listed as cited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from p0gate.formats.view import NOT_PASSING
from p0gate.outcome import Outcome

if TYPE_CHECKING:
    from p0gate.result import ControlResult, Result


@dataclass(frozen=True)
class Catalog:
    title: str
    kind_header: str
    rows: tuple[tuple[str, str, str], ...]  # (id, title, kind)


# 45 CFR 164.312, the HIPAA Security Rule's technical safeguards: Required or Addressable.
HIPAA_164_312 = Catalog("HIPAA Security Rule, technical safeguards (45 CFR 164.312)", "R/A", (
    ("164.312(a)(1)", "Access control (standard)", "—"),
    ("164.312(a)(2)(i)", "Unique user identification", "Required"),
    ("164.312(a)(2)(ii)", "Emergency access procedure", "Required"),
    ("164.312(a)(2)(iii)", "Automatic logoff", "Addressable"),
    ("164.312(a)(2)(iv)", "Encryption and decryption (at rest)", "Addressable"),
    ("164.312(b)", "Audit controls", "Required"),
    ("164.312(c)(1)", "Integrity (standard)", "—"),
    ("164.312(c)(2)", "Mechanism to authenticate ePHI", "Addressable"),
    ("164.312(d)", "Person or entity authentication", "Required"),
    ("164.312(e)(1)", "Transmission security (standard)", "—"),
    ("164.312(e)(2)(i)", "Integrity controls in transit", "Addressable"),
    ("164.312(e)(2)(ii)", "Encryption in transit", "Addressable"),
))
CATALOGS: dict[str, Catalog] = {"hipaa": HIPAA_164_312}


@dataclass(frozen=True)
class Row:
    ref: str
    title: str
    kind: str
    controls: tuple[ControlResult, ...]

    @property
    def status(self) -> str:
        """``not covered`` when no control cites the id, else the worst outcome."""
        if not self.controls:
            return "not covered"
        found = {c.outcome for c in self.controls}
        worst = (*NOT_PASSING, Outcome.WAIVED, Outcome.PASS, Outcome.NOT_APPLICABLE)
        return next(o for o in worst if o in found or o is Outcome.NOT_APPLICABLE).value


@dataclass(frozen=True)
class Matrix:
    framework: str
    title: str
    kind_header: str | None
    rows: tuple[Row, ...]


def matrices(result: Result) -> list[Matrix]:
    """A matrix per framework the controls reference, in order of first reference."""
    frameworks = dict.fromkeys(r.framework.lower() for c in result.controls
                               for r in c.references)
    return [_matrix(result, name) for name in frameworks]


def _matrix(result: Result, framework: str) -> Matrix:
    cited = _citations(result, framework)
    catalog = CATALOGS.get(framework)
    if catalog is None:
        rows = tuple(Row(ref, "", "", tuple(controls)) for ref, controls in cited.items())
        return Matrix(framework, framework, None, rows)
    known = [Row(ref, title, kind, tuple(cited.pop(ref, []))) for ref, title, kind in
             catalog.rows]
    extra = [Row(ref, "", "", tuple(controls)) for ref, controls in cited.items()]
    return Matrix(framework, catalog.title, catalog.kind_header, (*known, *extra))


def _citations(result: Result, framework: str) -> dict[str, list[ControlResult]]:
    """Reference id (spaces removed) → the controls citing it, in order of first citation."""
    cited: dict[str, list[ControlResult]] = {}
    for control in result.controls:
        for ref in control.references:
            if ref.framework.lower() == framework:
                group = cited.setdefault(ref.id.replace(" ", "") if framework in CATALOGS
                                         else ref.id, [])
                if control not in group:
                    group.append(control)
    return cited
