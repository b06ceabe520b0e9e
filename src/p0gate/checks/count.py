"""count: the number of matching incident records satisfies a comparator.

A record whose compared field is blank (absent, null or empty) could hold any value, so it
may match or not: the check counts the records that surely match and those that might, and
decides only when every count between the two gives the same verdict. Otherwise it is
`inconclusive`, naming each such record (artifact, line) and the field to fill in. ``where``
and ``where_not`` go through this one mechanism, so adding a record with a blank field can
never turn a fail or an inconclusive into a pass.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from p0gate.checks.base import Comparison, nothing_selected
from p0gate.errors import EvidenceError
from p0gate.evidence import kinds_read_by
from p0gate.evidence.incidents import Incident, Incidents, IncidentsReader
from p0gate.outcome import CheckResult, Outcome, Values
from p0gate.textmatch import fold

if TYPE_CHECKING:
    from p0gate.checks.base import CheckContext

SHOWN = 5


@dataclass(frozen=True)
class Blank:
    """A record that may or may not be counted: the compared fields it leaves blank."""

    artifact: str
    record: Incident
    fields: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.artifact} line {self.record.line} ({', '.join(self.fields)})"


class CountCheck(Comparison):
    """The number of incident records matching ``where`` satisfies the comparator."""

    type: Literal["count"]
    where: dict[str, str | list[str]] = Field(default_factory=dict, description=(
        "field: value or list of values; a record matches when every field matches (compared "
        "after Unicode NFKC, trimming and case folding: ' Safety' is 'safety'); a record "
        "whose field is blank may match, and when that could change the verdict the check "
        "is inconclusive, naming the record and the field"))
    where_not: dict[str, str | list[str]] = Field(default_factory=dict, description=(
        "field: value or list of values a record must not hold to be counted; a record whose "
        "field is blank may or may not be counted, as with where"))

    accepts: ClassVar[tuple[str, ...]] = kinds_read_by(IncidentsReader)
    UNITS: ClassVar[dict[str, str]] = {"count": "records", "records": "records",
                                       "possible": "records"}

    def match(self, record: Incident) -> bool | None:
        """True: surely counted; False: surely not; None: it depends on blank fields."""
        unknown = False
        for names, counted_when in ((self.where, True), (self.where_not, False)):
            for name, values in names.items():
                held = _holds(record, name, values)
                if held is None:
                    unknown = True
                elif held is not counted_when:
                    return False
        return None if unknown else True

    def blanks(self, record: Incident) -> tuple[str, ...]:
        """The compared fields the record leaves blank (and that blank does not decide)."""
        clauses = [*self.where.items(), *self.where_not.items()]
        names = [n for n, values in clauses if _holds(record, n, values) is None]
        return tuple(dict.fromkeys(names))

    def _records(self, artifact_id: str, incidents: Incidents) -> tuple[Incident, ...]:
        """The records, refusing one whose compared field holds a list or an object."""
        compared = {fold(name) for name in (*self.where, *self.where_not)}
        for record in incidents.records:
            if bad := sorted(compared & record.structured):
                raise EvidenceError(
                    f"artifact {artifact_id!r}: the incident opened "
                    f"{record.opened_at.isoformat()} has a list or object in {bad[0]!r}, "
                    "which `where` compares as one value")
        return incidents.records

    def verdicts(self, sure: int, possible: int) -> set[bool]:
        """The verdicts of every count from ``sure`` to ``possible``: the comparator changes
        only next to its limit, so the two ends and the counts beside it tell them all."""
        _, limit = self.comparator
        near = {math.floor(limit) - 1, math.floor(limit), math.ceil(limit),
                math.ceil(limit) + 1}
        return {self.holds(k) for k in {sure, possible, *near} if sure <= k <= possible}

    def run(self, ctx: CheckContext) -> CheckResult:
        required: Values = {"count": self.requirement()}
        artifacts = ctx.select(self)
        if not artifacts:
            return nothing_selected(self, required)
        found = [(a.id, r) for a in artifacts
                 for r in self._records(a.id, ctx.read(a, Incidents))]
        hits = [r for _, r in found if self.match(r) is True]
        blank = [Blank(a, r, self.blanks(r)) for a, r in found if self.match(r) is None]
        measured: Values = {"count": len(hits), "records": len(found)}
        if blank:
            measured["possible"] = len(hits) + len(blank)
        return self._judge(hits, blank, measured, required)

    def _judge(self, hits: list[Incident], blank: list[Blank], measured: Values,
               required: Values) -> CheckResult:
        verdicts = self.verdicts(len(hits), len(hits) + len(blank))
        where = ", ".join([*(f"{k}={v}" for k, v in self.where.items()),
                           *(f"{k}≠{v}" for k, v in self.where_not.items())]) or "any"
        many = f"{len(hits)}" + (f" to {len(hits) + len(blank)}" if blank else "")
        message = f"{many} of {measured['records']} incidents match {where}"
        if hits and False in verdicts:
            message += ": " + "; ".join(_describe(r) for r in hits[:SHOWN])
        if blank:
            message += (f"; {len(blank)} with a blank compared field: "
                        + "; ".join(str(b) for b in blank[:SHOWN])
                        + ("; …" if len(blank) > SHOWN else ""))
        if len(verdicts) > 1:
            return CheckResult(Outcome.INCONCLUSIVE, f"{message} (whether it meets "
                               f"{self.requirement()} depends on them: fill in those fields)",
                               measured, required)
        ok = verdicts == {True}
        return CheckResult(Outcome.PASS if ok else Outcome.FAIL,
                           f"{message} ({'meets' if ok else 'misses'} {self.requirement()})",
                           measured, required)


def _holds(record: Incident, name: str, values: str | list[str]) -> bool | None:
    """Whether the record's field is one of ``values``; None when the field is blank
    (absent, null, empty) and blank is not one of them: then it could hold anything."""
    options = {fold(v) for v in ([values] if isinstance(values, str) else values)}
    value = fold(record.fields.get(fold(name), ""))
    if value in options:
        return True
    return None if not value else False


def _describe(record: Incident) -> str:
    name = record.fields.get("id") or record.fields.get("title") or record.fields["category"]
    return f"{name} ({record.fields['severity']}, {record.opened_at.isoformat()})"
