"""Whole-process measurement: wall time and peak RSS of one command, paired runs, medians.

Every measured process runs with the package byte-compiled (``compile_package``, as
``pip install`` leaves it) and without ``PYTHONDONTWRITEBYTECODE``, so start-up is what a user
sees. A case with a baseline runs the two in turn (A B A B …) and takes the ratio pair by
pair, so a machine whose speed drifts moves both sides of each ratio alike; the median says
the result, min..max the spread.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
NOTE = ("bytecode compiled first (compileall of p0gate); PYTHONDONTWRITEBYTECODE unset in "
        "every measured process; paired runs, medians (min..max)")


@dataclass(frozen=True)
class Sample:
    seconds: float  # wall
    peak_mib: float
    exit_code: int
    cpu: float = 0.0  # user + system seconds of the process and the children it waited for


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


def compile_package() -> None:
    """Byte-compile p0gate as ``pip install`` would, even under PYTHONDONTWRITEBYTECODE."""
    import compileall

    import p0gate

    compileall.compile_dir(Path(p0gate.__file__).parent, quiet=1)


def measure(command: list[str]) -> Sample:
    """Run ``command`` once; its own wall time and peak RSS (os.wait4, not the tree's max)."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.stderr is not None:
        proc.stderr.close()
    return Sample(seconds, usage.ru_maxrss / 1024, proc.returncode,
                  usage.ru_utime + usage.ru_stime)


def paired(command: list[str], baseline: list[str] | None,
           repeat: int) -> tuple[list[Sample], list[Sample]]:
    """``repeat`` runs of the command, each followed by one of the baseline (when given)."""
    ours: list[Sample] = []
    theirs: list[Sample] = []
    for _ in range(repeat):
        ours.append(measure(command))
        if baseline is not None:
            theirs.append(measure(baseline))
    return ours, theirs


def spread(values: list[float], digits: int = 2) -> str:
    """The median and the range: ``0.31 (0.29..0.40)``."""
    return (f"{statistics.median(values):.{digits}f} "
            f"({min(values):.{digits}f}..{max(values):.{digits}f})")
