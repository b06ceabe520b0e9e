"""Evidence at scale (issue 13), run by ``make bench-scale``; prints ratios of the same run.

1. A Parquet dataset of ``P0GATE_SCALE_SAMPLES`` latencies (default 100M here; the target
   is 1e9, ~8 GB under benchmarks/.data/, generated once): p0gate verifies every file's
   sha256 and answers exactly (counts at 200/500 ms, p50/p95/p99/p99.9/max) with DuckDB,
   against DuckDB computing the same numbers in one query (quantile_disc) on the same
   files. Budgets: peak memory under 1 GiB, time at most 1.3x.
2. A histogram of 10^12 events (Prometheus text): parse and decide every statistic,
   whole process, under 0.3 s.

Paired runs (p0gate, then the baseline, ``--repeat`` times); medians with min..max.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import BIN, HERE, Sample, measure


def _compile_package() -> None:
    """Byte-compile p0gate as ``pip install`` would (run.py does the same)."""
    import compileall

    import p0gate

    compileall.compile_dir(Path(p0gate.__file__).parent, quiet=1)

DATA = HERE / ".data"
ROWS_PER_FILE = 10_000_000
THRESHOLDS = (200.0, 500.0)
STATS = ("p50", "p95", "p99", "p99.9", "max")


def dataset(samples: int) -> Path:
    """``samples`` lognormal latencies in ms, ROWS_PER_FILE per Parquet file, made once."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    root = DATA / f"scale-{samples}"
    done = DATA / f"scale-{samples}.complete"  # beside it: the folder holds only data
    if done.exists():
        return root
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20251015)
    for i, start in enumerate(range(0, samples, ROWS_PER_FILE)):
        rows = min(ROWS_PER_FILE, samples - start)
        values = np.round(rng.lognormal(mean=4.5, sigma=0.6, size=rows), 3)
        part = root / f"day={i // 10:03d}" / f"part-{i:05d}.parquet"
        part.parent.mkdir(exist_ok=True)
        pq.write_table(pa.table({"latency_ms": values}), part, row_group_size=1_000_000)
    done.write_text("ok\n")
    return root


def sums(root: Path) -> Path:
    """The manifest's files: list (relative path, sha256), computed once."""
    import hashlib

    listing = root.parent / f"{root.name}.sha256"
    if not listing.exists():
        lines = [f"{hashlib.file_digest(p.open('rb'), 'sha256').hexdigest()}  "
                 f"{p.relative_to(root).as_posix()}" for p in sorted(root.rglob("*.parquet"))]
        listing.write_text("\n".join(lines) + "\n")
    return listing


def paired(name: str, command: list[str], baseline: list[str], repeat: int) -> tuple[
        list[Sample], list[Sample]]:
    ours, theirs = [], []
    for _ in range(repeat):
        ours.append(measure(command))
        theirs.append(measure(baseline))
    bad = [s.exit_code for s in ours + theirs if s.exit_code]
    if bad:
        raise SystemExit(f"{name}: a run exited {bad[0]}")
    return ours, theirs


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}..{max(values):.2f})"


def bench_dataset(samples: int, repeat: int) -> bool:
    root = dataset(samples)
    listing = sums(root)
    ours, base = paired("dataset",
                        [str(BIN / "python"), str(HERE / "scale_p0gate.py"), str(root),
                         str(listing)],
                        [str(BIN / "python"), str(HERE / "scale_duckdb.py"), str(root)], repeat)
    ratios = [a.seconds / b.seconds for a, b in zip(ours, base, strict=True)]
    peak = max(s.peak_mib for s in ours)
    ok = statistics.median(ratios) <= 1.3 and peak < 1024
    print(f"{'ok  ' if ok else 'OVER'} dataset {samples:,} samples: p0gate "
          f"{spread([s.seconds for s in ours])} s vs DuckDB one query "
          f"{spread([s.seconds for s in base])} s = {spread(ratios)}x (budget 1.3x); peak "
          f"{peak:.0f} MiB (budget 1024) vs DuckDB {max(s.peak_mib for s in base):.0f} MiB")
    return ok


def bench_histogram(repeat: int) -> bool:
    script = [str(BIN / "python"), str(HERE / "scale_histogram.py")]
    runs = [measure(script) for _ in range(repeat)]
    seconds = [s.seconds for s in runs]
    ok = statistics.median(seconds) < 0.3 and not any(s.exit_code for s in runs)
    print(f"{'ok  ' if ok else 'OVER'} histogram of 10^12 events, whole process: "
          f"{spread(seconds)} s (budget 0.3 s)")
    with_scipy = [measure([*script, "--confidence"]).seconds for _ in range(repeat)]
    print(f"info with a confidence bound (imports scipy.special): {spread(with_scipy)} s")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--samples", type=int,
                        default=int(os.environ.get("P0GATE_SCALE_SAMPLES", 100_000_000)))
    args = parser.parse_args()
    _compile_package()
    results = [bench_histogram(max(args.repeat, 5)), bench_dataset(args.samples, args.repeat)]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
