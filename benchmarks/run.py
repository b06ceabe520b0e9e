"""Run every ``benchmarks/bench_*.py`` and print ratios against baselines of the same run.

Each bench module exposes ``cases() -> list[Case]``, or is a standalone script with its own
``main()`` (run as a subprocess; exit 0 means within budget). A case with a baseline prints
the time and peak-memory ratios against their budgets; a case without one prints its time
against an absolute budget. Exit 1 when a budget is missed. ``--repeat N`` (default 3) keeps
the fastest run.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import HERE, Case, best


def _modules(only: str | None) -> list[str]:
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    return [n for n in names if only is None or only in n]


def _line(ok: bool, text: str) -> str:
    return f"{'ok  ' if ok else 'OVER'} {text}"


def run_case(case: Case, repeat: int) -> bool:
    got = best(case.command, repeat)
    if got.exit_code not in case.expect_exit:
        print(f"FAIL {case.name}: exit {got.exit_code}, expected {case.expect_exit}")
        return False
    if case.baseline is None:
        ok = case.max_seconds is None or got.seconds <= case.max_seconds
        print(
            _line(
                ok,
                f"{case.name}: {got.seconds:.3f} s (budget {case.max_seconds} s), "
                f"peak {got.peak_mib:.0f} MiB",
            )
        )
        return ok
    base = best(case.baseline, repeat)
    time_ratio, mem_ratio = got.seconds / base.seconds, got.peak_mib / base.peak_mib
    ok = (case.max_time_ratio is None or time_ratio <= case.max_time_ratio) and (
        case.max_memory_ratio is None or mem_ratio <= case.max_memory_ratio
    )
    print(
        _line(
            ok,
            f"{case.name}: time {got.seconds:.2f} s vs floor {base.seconds:.2f} s = "
            f"{time_ratio:.2f}x (budget {case.max_time_ratio}x); peak "
            f"{got.peak_mib:.0f} MiB vs {base.peak_mib:.0f} MiB = {mem_ratio:.2f}x "
            f"(budget {case.max_memory_ratio}x)",
        )
    )
    return ok


def _compile_package() -> None:
    """Byte-compile p0gate as ``pip install`` would, even under PYTHONDONTWRITEBYTECODE."""
    import compileall

    import p0gate

    compileall.compile_dir(Path(p0gate.__file__).parent, quiet=1)


def _standalone(name: str) -> bool:
    """Run a bench module without ``cases()`` as its own script; exit 0 means within budget."""
    import subprocess

    return subprocess.run([sys.executable, str(HERE / f"{name}.py")], check=False).returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="run the bench modules whose name contains this")
    args = parser.parse_args(argv)
    _compile_package()
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
