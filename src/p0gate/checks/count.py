"""count: the number of matching incident records satisfies a comparator."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from p0gate.checks.base import Comparison, nothing_selected
from p0gate.evidence import kinds_read_by
from p0gate.evidence.incidents import Incident, Incidents, IncidentsReader
from p0gate.outcome import CheckResult, Outcome, Values

if TYPE_CHECKING:
    from p0gate.checks.base import CheckContext

SHOWN = 5


class CountCheck(Comparison):
    """The number of incident records matching ``where`` satisfies the comparator."""

    type: Literal["count"]
    where: dict[str, str | list[str]] = Field(default_factory=dict, description=(
        "field: value or list of values; a record matches when every field matches "
        "(case-insensitive)"))

    accepts: ClassVar[tuple[str, ...]] = kinds_read_by(IncidentsReader)

    def matches(self, record: Incident) -> bool:
        for name, wanted in self.where.items():
            options = [wanted] if isinstance(wanted, str) else wanted
            value = record.fields.get(name, "").casefold()
            if value not in {o.casefold() for o in options}:
                return False
        return True

    def run(self, ctx: CheckContext) -> CheckResult:
        required: Values = {"count": self.requirement()}
        artifacts = ctx.select(self)
        if not artifacts:
            return nothing_selected(self, required)
        records = [r for a in artifacts for r in ctx.read(a, Incidents).records]
        hits = [r for r in records if self.matches(r)]
        measured: Values = {"count": len(hits), "records": len(records)}
        ok = self.holds(len(hits))
        where = ", ".join(f"{k}={v}" for k, v in self.where.items()) or "any"
        message = f"{len(hits)} of {len(records)} incidents match {where}"
        if hits and not ok:
            message += ": " + "; ".join(_describe(r) for r in hits[:SHOWN])
        return CheckResult(Outcome.PASS if ok else Outcome.FAIL,
                           f"{message} ({'meets' if ok else 'misses'} {self.requirement()})",
                           measured, required)


def _describe(record: Incident) -> str:
    name = record.fields.get("id") or record.fields.get("title") or record.fields["category"]
    return f"{name} ({record.fields['severity']}, {record.opened_at.isoformat()})"
