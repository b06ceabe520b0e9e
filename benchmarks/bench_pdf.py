"""Budget (design.md §9): a signed PDF of the full default pack renders in under 5 s.

Times the whole process `p0gate evaluate --evidence
evidence/examples/lifecycle/01-pre-release --report pdf=… --pkcs12 …` (imports, evaluation,
WeasyPrint, pyHanko) with a DEMO certificate made on the fly, five runs, and prints the
median with its spread against the budget. Exit 1 when the median is over budget.

    .venv/bin/python benchmarks/bench_pdf.py
"""

from __future__ import annotations

import runpy
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ENV, NOTE, compile_package, measure, spread

ROOT = Path(__file__).resolve().parents[1]
BUDGET_S = 5.0
RUNS = 5


def command(folder: Path, p12: Path) -> list[str]:
    return [
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


def main() -> int:
    ENV["P0GATE_PKCS12_PASSWORD"] = "bench"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        runpy.run_path(str(ROOT / "scripts/demo_cert.py"))["make"](folder, "bench")
        runs = [measure(command(folder, folder / "demo-signer.p12")) for _ in range(RUNS)]
        if any(r.exit_code not in (0, 1) for r in runs):
            raise SystemExit(f"p0gate failed: exit {[r.exit_code for r in runs]}")
        size = (folder / "report.pdf").stat().st_size
    median = statistics.median(r.seconds for r in runs)
    verdict = "ok  " if median <= BUDGET_S else "OVER"
    print(f"{verdict} signed PDF, full pack + 01-pre-release bundle, whole process: "
          f"{spread([r.seconds for r in runs])} s of {RUNS} runs (budget {BUDGET_S:.0f} s; cpu "
          f"{spread([r.cpu for r in runs])} s), peak {max(r.peak_mib for r in runs):.0f} MiB, "
          f"{size // 1024} KiB")
    return 0 if median <= BUDGET_S else 1


if __name__ == "__main__":
    if "--standalone" in sys.argv:
        compile_package()
        print(NOTE)
    sys.exit(main())
