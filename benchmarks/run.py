"""Run every ``benchmarks/bench_*.py`` and print ratios against baselines of the same run.

Each bench module exposes ``cases() -> list[Case]``, or is a standalone script with its own
``main()`` (run as a subprocess; exit 0 means within budget). A case with a baseline runs
paired with it and prints the median time and peak-memory ratios (with their spread)
against their budgets; a case without one prints its median time against an absolute
budget. Exit 1 when a budget is missed. ``--repeat N`` (default 5) pairs per case.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import HERE, NOTE, Case, compile_package, paired, spread


def _modules(only: str | None) -> list[str]:
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    return [n for n in names if only is None or only in n]


def _line(ok: bool, text: str) -> str:
    return f"{'ok  ' if ok else 'OVER'} {text}"


def run_case(case: Case, repeat: int) -> bool:
    ours, base = paired(case.command, case.baseline, repeat)
    bad = [s.exit_code for s in ours if s.exit_code not in case.expect_exit]
    if bad:
        print(f"FAIL {case.name}: exit {bad[0]}, expected {case.expect_exit}")
        return False
    seconds = [s.seconds for s in ours]
    if not base:
        ok = case.max_seconds is None or statistics.median(seconds) <= case.max_seconds
        print(_line(ok, f"{case.name}: {spread(seconds, 3)} s (budget {case.max_seconds} s; "
                        f"cpu {spread([s.cpu for s in ours], 3)} s), "
                        f"peak {max(s.peak_mib for s in ours):.0f} MiB"))
        return ok
    times = [a.seconds / b.seconds for a, b in zip(ours, base, strict=True)]
    memory = [a.peak_mib / b.peak_mib for a, b in zip(ours, base, strict=True)]
    ok = (case.max_time_ratio is None or statistics.median(times) <= case.max_time_ratio) and (
        case.max_memory_ratio is None or statistics.median(memory) <= case.max_memory_ratio)
    cpu = [a.cpu / b.cpu for a, b in zip(ours, base, strict=True)]
    print(_line(ok, f"{case.name}: {spread(seconds)} s vs floor "
                    f"{spread([b.seconds for b in base])} s = {spread(times)}x (budget "
                    f"{case.max_time_ratio}x; cpu {spread(cpu)}x); peak "
                    f"{statistics.median(memory):.2f}x of the floor's (budget "
                    f"{case.max_memory_ratio}x)"))
    return ok


def _standalone(name: str) -> bool:
    """Run a bench module without ``cases()`` as its own script; exit 0 means within budget."""
    import subprocess

    from harness import ENV

    return subprocess.run([sys.executable, str(HERE / f"{name}.py")], check=False,
                          env=ENV).returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", help="run the bench modules whose name contains this")
    args = parser.parse_args(argv)
    compile_package()
    print(NOTE)
    results = []
    for name in _modules(args.only):
        module = importlib.import_module(name)
        if not hasattr(module, "cases"):  # a standalone bench script prints its own line
            results.append(_standalone(name))
            continue
        cases: list[Case] = module.cases()
        results.extend(run_case(case, args.repeat) for case in cases)
    print(f"{sum(results)} of {len(results)} within budget")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
