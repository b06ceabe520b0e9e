"""design.md §9: ``p0gate --help`` and ``p0gate validate`` start in under 0.5 s."""

from __future__ import annotations

from harness import BIN, HERE, Case

ROOT = HERE.parent


def cases() -> list[Case]:
    p0gate = str(BIN / "p0gate")
    return [
        Case("p0gate --help", [p0gate, "--help"], max_seconds=0.5),
        Case(
            "p0gate validate policies",
            [p0gate, "validate", str(ROOT / "policies")],
            max_seconds=0.5,
        ),
    ]
