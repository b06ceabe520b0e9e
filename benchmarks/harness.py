"""Whole-process measurement: wall time and peak RSS of one command, and a case to compare."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_mib: float
    exit_code: int


@dataclass(frozen=True)
class Case:
    """``command`` against ``baseline`` (ratio budgets), or alone (an absolute time budget)."""

    name: str
    command: list[str]
    baseline: list[str] | None = None
    max_time_ratio: float | None = None
    max_memory_ratio: float | None = None
    max_seconds: float | None = None
    expect_exit: tuple[int, ...] = (0,)


def measure(command: list[str]) -> Sample:
    """Run ``command`` once; its own wall time and peak RSS (os.wait4, not the tree's max)."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.stderr is not None:
        proc.stderr.close()
    return Sample(seconds, usage.ru_maxrss / 1024, proc.returncode)


def best(command: list[str], repeat: int) -> Sample:
    """Fastest of ``repeat`` runs (noise from a shared machine only adds time) and its peak."""
    runs = [measure(command) for _ in range(repeat)]
    fastest = min(runs, key=lambda s: s.seconds)
    return Sample(fastest.seconds, max(s.peak_mib for s in runs), fastest.exit_code)
