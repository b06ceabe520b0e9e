"""design.md §9 and issue 13: ``p0gate --help`` and ``p0gate validate`` start in under 0.5 s,
for the default pack and for a pack grown to about 110 controls."""

from __future__ import annotations

from _data import large_pack
from harness import BIN, HERE, Case

ROOT = HERE.parent


def cases() -> list[Case]:
    p0gate = str(BIN / "p0gate")
    return [
        Case("p0gate --help", [p0gate, "--help"], max_seconds=0.5),
        Case("p0gate validate policies", [p0gate, "validate", str(ROOT / "policies")],
             max_seconds=0.5),
        Case("p0gate validate, a pack of 110 controls",
             [p0gate, "validate", str(large_pack(110))], max_seconds=0.5),
    ]
