"""Budget (design.md §9): a signed PDF of the full default pack renders in under 5 s.

Times the whole process `p0gate evaluate --evidence
evidence/examples/lifecycle/01-pre-release --report pdf=… --pkcs12 …` (imports, evaluation,
WeasyPrint, pyHanko) with a DEMO certificate made on the fly, best of three runs, and prints
the number against the budget. Exit 1 over budget.

    .venv/bin/python benchmarks/bench_pdf.py
"""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET_S = 5.0
RUNS = 3


def run_once(folder: Path, p12: Path) -> float:
    command = [
        str(Path(sys.executable).with_name("p0gate")),
        "evaluate",
        "--evidence",
        str(ROOT / "evidence/examples/lifecycle/01-pre-release"),
        "--policies",
        str(ROOT / "policies"),
        "--gate",
        "beta",
        "--now",
        "2025-09-20T00:00:00Z",
        "-q",
        "--report",
        f"pdf={folder / 'report.pdf'}",
        "--pkcs12",
        str(p12),
    ]
    env = {**os.environ, "P0GATE_PKCS12_PASSWORD": "bench"}
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"p0gate failed ({done.returncode}): {done.stderr.decode()}")
    return elapsed


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        runpy.run_path(str(ROOT / "scripts/demo_cert.py"))["make"](folder, "bench")
        times = [run_once(folder, folder / "demo-signer.p12") for _ in range(RUNS)]
        size = (folder / "report.pdf").stat().st_size
    best = min(times)
    verdict = "within" if best <= BUDGET_S else "OVER"
    print(
        f"signed PDF, full pack + 01-pre-release bundle: best {best:.2f} s of {RUNS} "
        f"(runs {', '.join(f'{t:.2f}' for t in times)}; {size // 1024} KiB), "
        f"{verdict} the {BUDGET_S:.0f} s budget"
    )
    return 0 if best <= BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
