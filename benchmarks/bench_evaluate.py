"""design.md §9 and issue 13: ``p0gate evaluate`` on 10M latency samples against a
pyarrow+numpy floor: at most 1.2x for CSV (issue 13), 1.5x for Parquet (design.md §9)."""

from __future__ import annotations

from _data import bundle_dir, pack_dir
from harness import BIN, HERE, Case

NOW = "2025-09-28T12:00:00Z"


def _evaluate(fmt: str) -> list[str]:
    return [
        str(BIN / "p0gate"),
        "evaluate",
        "--evidence",
        str(bundle_dir(fmt)),
        "--gate",
        "beta",
        "--policies",
        str(pack_dir()),
        "--now",
        NOW,
        "--quiet",
    ]


def _floor(fmt: str) -> list[str]:
    return [str(BIN / "python"), str(HERE / "floor.py"), str(bundle_dir(fmt) / f"latency.{fmt}")]


def cases() -> list[Case]:
    return [
        Case(
            f"evaluate 10M samples ({fmt})",
            _evaluate(fmt),
            _floor(fmt),
            max_time_ratio=1.2 if fmt == "csv" else 1.5,
            max_memory_ratio=2.0,
            expect_exit=(0, 1),
        )
        for fmt in ("csv", "parquet")
    ]
