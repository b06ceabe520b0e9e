"""Issue 10: `p0gate monitor` is fast enough to run every minute: under 1 s as a whole process
on the example monitoring bundles (OK at 50%, ROLLBACK at 100%), pack load included."""

from __future__ import annotations

from harness import BIN, HERE, Case

LC = HERE.parent / "evidence" / "examples" / "lifecycle"


def _monitor(bundle: str, now: str) -> list[str]:
    return [str(BIN / "p0gate"), "monitor", "--evidence", str(LC / bundle), "--policies",
            str(HERE.parent / "policies"), "--baseline", str(LC / "02-beta"), "--now", now]


def cases() -> list[Case]:
    return [
        Case("p0gate monitor, OK (05m-production-50-monitor)",
             _monitor("05m-production-50-monitor", "2025-10-27T18:25:00Z"), max_seconds=1.0),
        Case("p0gate monitor, ROLLBACK (08-production-100-incident)",
             _monitor("08-production-100-incident", "2025-11-14T08:05:00Z"), max_seconds=1.0,
             expect_exit=(5,)),
    ]
