"""count: the number of matching incident records satisfies a comparator."""

from __future__ import annotations

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


class CountCheck(Comparison):
    """The number of incident records matching ``where`` satisfies the comparator."""

    type: Literal["count"]
    where: dict[str, str | list[str]] = Field(default_factory=dict, description=(
        "field: value or list of values; a record matches when every field matches (compared "
        "after Unicode NFKC, trimming and case folding: ' Safety' is 'safety')"))
    where_not: dict[str, str | list[str]] = Field(default_factory=dict, description=(
        "field: value or list of values a record must not hold to be counted: fails closed, "
        "since a record without the field (or with any other value) is still counted"))

    accepts: ClassVar[tuple[str, ...]] = kinds_read_by(IncidentsReader)
    UNITS: ClassVar[dict[str, str]] = {"count": "records", "records": "records"}

    def matches(self, record: Incident) -> bool:
        return (all(_holds(record, name, wanted) for name, wanted in self.where.items())
                and not any(_holds(record, name, unwanted)
                            for name, unwanted in self.where_not.items()))

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

    def run(self, ctx: CheckContext) -> CheckResult:
        required: Values = {"count": self.requirement()}
        artifacts = ctx.select(self)
        if not artifacts:
            return nothing_selected(self, required)
        records = [r for a in artifacts for r in self._records(a.id, ctx.read(a, Incidents))]
        hits = [r for r in records if self.matches(r)]
        measured: Values = {"count": len(hits), "records": len(records)}
        ok = self.holds(len(hits))
        where = ", ".join([*(f"{k}={v}" for k, v in self.where.items()),
                           *(f"{k}≠{v}" for k, v in self.where_not.items())]) or "any"
        message = f"{len(hits)} of {len(records)} incidents match {where}"
        if hits and not ok:
            message += ": " + "; ".join(_describe(r) for r in hits[:SHOWN])
        return CheckResult(Outcome.PASS if ok else Outcome.FAIL,
                           f"{message} ({'meets' if ok else 'misses'} {self.requirement()})",
                           measured, required)


def _holds(record: Incident, name: str, wanted: str | list[str]) -> bool:
    """The record's field (an absent one reads as '') is one of the wanted values."""
    options = [wanted] if isinstance(wanted, str) else wanted
    return fold(record.fields.get(fold(name), "")) in {fold(o) for o in options}


def _describe(record: Incident) -> str:
    name = record.fields.get("id") or record.fields.get("title") or record.fields["category"]
    return f"{name} ({record.fields['severity']}, {record.opened_at.isoformat()})"
