"""Waivers (``--waivers FILE``): documented, expiring exceptions to failing controls.

A waiver turns a ``fail`` or ``inconclusive`` outcome into ``waived``. It is refused for a
``waivable: false`` control, when it has expired, when it runs longer than the pack allows
for the control's severity (``Pack.waivers.max_days``, counted from the evaluation time), and
for an ``error`` outcome (unreadable evidence is fixed, not waived). A waiver that does not
cover the phase, or whose control passed, is listed as unused. Waivers expiring within
``EXPIRY_WARNING_DAYS`` are flagged. A waiver for a control the pack does not have is invalid
input.

Expiry is an instant compared in UTC (design §5): ``expires: 2026-12-31`` lasts to the end of
that day in UTC, ``expires: "2026-12-31T17:00:00-05:00"`` to that instant; the evaluation time
is taken as the instant it names, whatever offset ``--now`` is written in. Days (the pack's
cap, the 7-day flag) are counted between UTC calendar dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import AwareDatetime, Field

from p0gate.documents import Document, Model, load_located
from p0gate.errors import InputError
from p0gate.outcome import Outcome, Phase
from p0gate.policy import CONTROL_ID, Pack
from p0gate.result import ControlResult, WaiverRecord, Waivers, WaiverStatus

EXPIRY_WARNING_DAYS = 7
T = TypeVar("T")
Lax = Annotated[T, Field(strict=False)]
WAIVABLE = frozenset({Outcome.FAIL, Outcome.INCONCLUSIVE})


class Waiver(Model):
    control: str = Field(pattern=CONTROL_ID, description="id of the waived control")
    reason: str = Field(
        min_length=1,
        description=(
            "why, and for a HIPAA addressable specification the alternative measure in place"
        ),
    )
    approved_by: str = Field(min_length=1, description="the person who approved the waiver")
    role: str = Field(min_length=1, description="their role, e.g. compliance-authority")
    expires: Annotated[Lax[AwareDatetime] | Lax[date], Field(union_mode="left_to_right",
                                                             description=(
        "last day it applies (YYYY-MM-DD, to the end of that day in UTC), or the instant it "
        "ends (ISO 8601 with a timezone, quoted)"))]
    phases: list[Phase] | None = Field(
        None, min_length=1, description=("the gates it covers (default: every gate)")
    )


    def ends(self) -> datetime:
        """The first instant (UTC) at which the waiver no longer applies."""
        if isinstance(self.expires, datetime):
            return self.expires.astimezone(UTC)
        return datetime.combine(self.expires + timedelta(days=1), time(), tzinfo=UTC)

    def last_day(self) -> date:
        """The UTC calendar day of the waiver's last instant."""
        return (self.ends() - timedelta(microseconds=1)).date()


class WaiverSet(Document):
    kind: Literal["WaiverSet"]
    waivers: list[Waiver] = Field(description="the waivers")


def load_waivers(path: Path, pack: Pack) -> WaiverSet:
    """Parse and validate a WaiverSet file whose every waiver names a control of ``pack``
    (invalid input names file and line)."""
    loaded = load_located(path, WaiverSet)
    for i, waiver in enumerate(loaded.document.waivers):
        if pack.find(waiver.control) is None:
            raise InputError(
                f"waiver for unknown control {waiver.control!r}",
                location=loaded.locate(["waivers", i, "control"]),
                hint="check the id against `p0gate validate` / the result's ids",
            )
    return loaded.document


@dataclass(frozen=True)
class Applied:
    controls: list[ControlResult]
    waivers: Waivers
    warnings: list[str]


def apply(
    controls: list[ControlResult], waivers: WaiverSet, *, pack: Pack, phase: Phase, now: datetime
) -> Applied:
    """The control results with valid waivers applied, and the record of every waiver."""
    by_id = {c.id: i for i, c in enumerate(controls)}
    out = list(controls)
    records: dict[WaiverStatus, list[WaiverRecord]] = {status: [] for status in WaiverStatus}
    warnings: list[str] = []
    caps: dict[str, int] = (
        {str(k): v for k, v in pack.settings.waivers.max_days.items()} if pack.settings else {}
    )
    for waiver in waivers.waivers:
        index = by_id[waiver.control]
        status, note = _judge(waiver, out[index], phase=phase, now=now, caps=caps)
        record = _record(waiver, status, note, now)
        if status is WaiverStatus.APPLIED:
            out[index] = out[index].model_copy(update={"outcome": Outcome.WAIVED, "waiver": record})
            if record.expiring_soon:
                warnings.append(f"waiver of {waiver.control} expires on "
                                f"{waiver.expires.isoformat()} (within {EXPIRY_WARNING_DAYS} days)")
        records[status].append(record)
    return Applied(out, Waivers(applied=records[WaiverStatus.APPLIED],
                                refused=records[WaiverStatus.REFUSED],
                                unused=records[WaiverStatus.UNUSED]), warnings)


def _judge(
    waiver: Waiver, control: ControlResult, *, phase: Phase, now: datetime, caps: Mapping[str, int]
) -> tuple[WaiverStatus, str]:
    if waiver.phases is not None and phase not in waiver.phases:
        return WaiverStatus.UNUSED, f"covers {', '.join(waiver.phases)}, not the {phase} gate"
    if control.outcome is Outcome.WAIVED:
        return WaiverStatus.UNUSED, "the control is already waived by an earlier waiver"
    if not control.waivable:
        return WaiverStatus.REFUSED, "the control is not waivable (waivable: false)"
    if now >= waiver.ends():
        return WaiverStatus.REFUSED, f"expired on {waiver.expires.isoformat()}"
    cap = caps.get(control.severity)
    days = _days_left(waiver, now)
    if cap is not None and days > cap:
        return WaiverStatus.REFUSED, (
            f"runs {days} days; the pack allows at most {cap} days for a {control.severity} control"
        )
    if control.outcome is Outcome.ERROR:
        return WaiverStatus.REFUSED, ("an error outcome (unreadable or tampered evidence) is "
                                      "not waivable")
    if control.outcome not in WAIVABLE:
        return WaiverStatus.UNUSED, f"the control's outcome is {control.outcome.value}"
    until = waiver.expires.isoformat()
    return WaiverStatus.APPLIED, f"{control.outcome.value} waived until {until}"


def _days_left(waiver: Waiver, now: datetime) -> int:
    """UTC calendar days from the evaluation time to the waiver's last day."""
    return (waiver.last_day() - now.astimezone(UTC).date()).days


def _record(
    waiver: Waiver, status: WaiverStatus, note: str, now: datetime
) -> WaiverRecord:
    soon = now < waiver.ends() and _days_left(waiver, now) <= EXPIRY_WARNING_DAYS
    return WaiverRecord(
        control=waiver.control,
        reason=waiver.reason,
        approved_by=waiver.approved_by,
        role=waiver.role,
        expires=waiver.expires.isoformat(),
        phases=waiver.phases,
        status=status,
        note=note,
        expiring_soon=soon,
    )
