"""benchmarks/harness.py measures each process on its own, whatever the runner holds.

Linux carries the spawning process's peak RSS across exec: a small command spawned by a
runner that once held hundreds of MiB used to report the runner's peak as its own.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from harness import measure

ALLOCATE = ("import sys; data = bytearray(int(sys.argv[1]) << 20); "
            "data[::4096] = b'x' * len(data[::4096])")


def test_a_small_command_spawned_by_a_large_runner_reports_its_own_peak() -> None:
    held = bytearray(300 << 20)
    held[::4096] = b"x" * len(held[::4096])  # touched: resident, not only reserved
    small = measure([sys.executable, "-c", "pass"])
    assert small.exit_code == 0
    assert small.peak_mib < 100, small
    assert len(held) == 300 << 20


def test_the_peak_follows_what_the_command_allocates() -> None:
    big = measure([sys.executable, "-c", ALLOCATE, "200"])
    assert big.exit_code == 0
    assert 200 <= big.peak_mib < 300, big
    assert big.seconds > 0 and big.cpu > 0


def test_a_failing_command_reports_its_exit_code() -> None:
    failed = measure([sys.executable, "-c", "raise SystemExit(3)"])
    assert failed.exit_code == 3
