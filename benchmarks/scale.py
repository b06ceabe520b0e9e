"""Evidence at scale (issue 13), run by ``make bench-scale``; prints ratios of the same run.

A Parquet dataset of ``--samples`` latencies (default ``P0GATE_SCALE_SAMPLES``, 100M; the
target is 1e9, about 5 GB under benchmarks/.data/, generated once) is a ``latency-samples``
artifact of a sealed bundle (``files:``, every file's sha256). ``p0gate evaluate`` runs a pack
of statistic and exceedance controls on it as a whole process: every file verified, then
exact answers from DuckDB out of core (counts at 200/500 ms, p50/p95/p99/p99.9/max). The
baseline is DuckDB computing the same numbers in one query (``quantile_disc``) on the same
files. Budgets: p0gate's peak memory under 1 GiB, its time at most 1.3x the baseline's.
The histogram of 10^12 events is in ``make bench`` (bench_histogram.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import BIN, HERE, NOTE, compile_package, paired, spread

DATA = HERE / ".data"
ROWS_PER_FILE = 10_000_000
STAMP = "2025-09-27T06:00:00Z"
PACK = """\
apiVersion: p0gate/v1
kind: PolicySet
metadata: {name: bench-scale, authority: performance}
controls:
"""
CHECKS = [(f"SCALE-{s.upper().replace('.', '')}",
           f"{{type: statistic, artifact: lake, column: latency_ms, stat: {s}, lt: {limit}}}")
          for s, limit in (("p50", 120), ("p95", 300), ("p99", 500), ("p99.9", 800),
                           ("max", 100000))]
CHECKS += [(f"SCALE-EXC{t}", f"{{type: exceedance, artifact: lake, column: latency_ms, "
            f"threshold: {t}, max_rate: 0.05}}") for t in (200, 500)]


def dataset(samples: int) -> Path:
    """A bundle folder whose ``lake/`` holds ``samples`` lognormal latencies in ms,
    ROWS_PER_FILE per Parquet file in hive-style day folders, made once."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    root = DATA / f"scale-{samples}"
    done = DATA / f"scale-{samples}.complete"  # beside it: the folder holds only the bundle
    if done.exists():
        return root
    rng = np.random.default_rng(20251015)
    for i, start in enumerate(range(0, samples, ROWS_PER_FILE)):
        rows = min(ROWS_PER_FILE, samples - start)
        values = np.round(rng.lognormal(mean=4.5, sigma=0.6, size=rows), 3)
        part = root / "lake" / f"day={i // 10:03d}" / f"part-{i:05d}.parquet"
        part.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.table({"latency_ms": values}), part, row_group_size=1_000_000)
    done.write_text("ok\n")
    return root


def sealed(root: Path) -> Path:
    """The bundle's manifest (every file's sha256 computed once) and the pack beside it."""
    import hashlib

    from p0gate.evidence.folders import listing_digest

    listing = root.parent / f"{root.name}.sha256"
    if not listing.exists():
        lines = [f"{hashlib.file_digest(p.open('rb'), 'sha256').hexdigest()}  "
                 f"{p.relative_to(root / 'lake').as_posix()}"
                 for p in sorted((root / "lake").rglob("*.parquet"))]
        listing.write_text("\n".join(lines) + "\n")
    files = [(rel, digest, (root / "lake" / rel).stat().st_size) for digest, rel in
             (line.split("  ", 1) for line in listing.read_text().splitlines())]
    entries = "".join(f"  - {{path: '{p}', sha256: {d}, size: {n}}}\n" for p, d, n in files)
    (root / "manifest.yaml").write_text(
        "apiVersion: p0gate/v1\nkind: EvidenceBundle\n"
        f"metadata: {{system: bench, version: '1.0', phase: beta, collected_at: '{STAMP}'}}\n"
        f"artifacts:\n- id: lake\n  kind: latency-samples\n  path: lake\n"
        f"  sha256: {listing_digest(files)}\n  size: {sum(n for _, _, n in files)}\n"
        f"  collected_at: '{STAMP}'\n  files:\n{entries}")
    pack = root.parent / f"{root.name}-pack"
    pack.mkdir(exist_ok=True)
    (pack / "bench.yaml").write_text(PACK + "".join(
        f"  - id: {cid}\n    title: {cid}\n    severity: high\n    blocking: true\n"
        f"    phases: [beta]\n    check: {check}\n" for cid, check in CHECKS))
    return pack


def bench_dataset(samples: int, repeat: int) -> bool:
    root = dataset(samples)
    pack = sealed(root)
    evaluate = [str(BIN / "p0gate"), "evaluate", "--evidence", str(root), "--policies",
                str(pack), "--phase", "beta", "--now", "2025-09-28T12:00:00Z", "--quiet"]
    ours, base = paired(evaluate, [str(BIN / "python"), str(HERE / "scale_duckdb.py"),
                                   str(root / "lake")], repeat)
    bad = [s.exit_code for s in ours if s.exit_code not in (0, 1)]
    bad += [s.exit_code for s in base if s.exit_code]
    if bad:
        raise SystemExit(f"dataset: a run exited {bad[0]}")
    ratios = [a.seconds / b.seconds for a, b in zip(ours, base, strict=True)]
    peak = max(s.peak_mib for s in ours)
    ok = statistics.median(ratios) <= 1.3 and peak < 1024
    print(f"{'ok  ' if ok else 'OVER'} dataset of {samples:,} samples: p0gate evaluate "
          f"{spread([s.seconds for s in ours])} s vs DuckDB one query "
          f"{spread([s.seconds for s in base])} s = {spread(ratios)}x (budget 1.3x); peak "
          f"{peak:.0f} MiB (budget 1024) vs DuckDB {max(s.peak_mib for s in base):.0f} MiB")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--samples", type=int,
                        default=int(os.environ.get("P0GATE_SCALE_SAMPLES", 100_000_000)))
    args = parser.parse_args()
    compile_package()
    print(NOTE)
    return 0 if bench_dataset(args.samples, args.repeat) else 1


if __name__ == "__main__":
    sys.exit(main())
