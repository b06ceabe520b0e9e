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


# Linux carries a process's peak RSS across exec from the memory it was spawned with, so a
# command spawned by this (by then large) runner would report at least the runner's peak. A
# small launcher, started fresh, spawns the command and reports the command's own wall time
# and rusage (os.wait4): the floor of every peak is the launcher's few MiB, for both sides.
LAUNCHER = """
import json, os, sys, time
err, command = sys.argv[1], sys.argv[2:]
null = os.open(os.devnull, os.O_RDWR)
actions = [(os.POSIX_SPAWN_DUP2, null, 0), (os.POSIX_SPAWN_DUP2, null, 1),
           (os.POSIX_SPAWN_OPEN, 2, err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)]
start = time.perf_counter()
pid = os.posix_spawnp(command[0], command, os.environ, file_actions=actions)
_, status, usage = os.wait4(pid, 0)
print(json.dumps([time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status),
                  usage.ru_utime + usage.ru_stime]))
"""


def measure(command: list[str]) -> Sample:
    """Run ``command`` once through the launcher: its own wall time, peak RSS and CPU time."""
    import json
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".stderr") as err:
        done = subprocess.run([sys.executable, "-I", "-S", "-c", LAUNCHER, err.name, *command],
                              env=ENV, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"benchmark launcher failed: {done.stderr.strip()}")
        seconds, peak_kib, code, cpu = json.loads(done.stdout)
        if code != 0:
            sys.stderr.write(Path(err.name).read_text(errors="replace")[-2000:])
    return Sample(seconds, peak_kib / 1024, code, cpu)


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
