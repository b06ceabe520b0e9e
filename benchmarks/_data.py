"""Deterministic benchmark inputs under benchmarks/.data/ (git-ignored), built once."""

from __future__ import annotations

import hashlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
SAMPLES = 10_000_000
STAMP = "2025-09-27T06:00:00Z"

PACK = """\
apiVersion: p0gate/v1
kind: PolicySet
metadata: {name: bench, authority: performance}
controls:
"""

# (id, check) pairs: statistic and exceedance controls over the one latency column.
CHECKS = [
    (
        "BENCH-P50",
        "{type: statistic, kind: latency-samples, column: latency_ms, stat: p50, le: 120}",
    ),
    (
        "BENCH-P95",
        "{type: statistic, kind: latency-samples, column: latency_ms, stat: p95, le: 400}",
    ),
    (
        "BENCH-P99",
        "{type: statistic, kind: latency-samples, column: latency_ms, stat: p99, le: 800}",
    ),
    (
        "BENCH-P999",
        "{type: statistic, kind: latency-samples, column: latency_ms, stat: p99.9, le: 2000}",
    ),
    (
        "BENCH-MAX",
        "{type: statistic, kind: latency-samples, column: latency_ms, stat: max, le: 100000}",
    ),
    (
        "BENCH-MEAN",
        "{type: statistic, kind: latency-samples, column: latency_ms, stat: mean, le: 200}",
    ),
    (
        "BENCH-EXC",
        "{type: exceedance, kind: latency-samples, column: latency_ms, threshold: 500, "
        "max_rate: 0.05}",
    ),
]
# What the floor computes: the same statistics and the same exceedance count.
PERCENTILES = (50, 95, 99, 99.9)
THRESHOLD = 500.0


def pack_dir() -> Path:
    root = DATA / "pack"
    root.mkdir(parents=True, exist_ok=True)
    lines = [PACK]
    for cid, check in CHECKS:
        lines.append(
            f"  - id: {cid}\n    title: {cid}\n    severity: high\n"
            f"    blocking: true\n    gates: [beta]\n    check: {check}\n"
        )
    (root / "bench.yaml").write_text("".join(lines))
    return root


def _write_samples(path: Path, fmt: str) -> None:
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(20250927)
    values = np.round(rng.lognormal(mean=4.5, sigma=0.6, size=SAMPLES), 3)
    table = pa.table({"latency_ms": values})
    tmp = path.with_suffix(path.suffix + ".tmp")
    if fmt == "csv":
        import pyarrow.csv as pcsv

        pcsv.write_csv(table, tmp)
    else:
        import pyarrow.parquet as pq

        pq.write_table(table, tmp)
    tmp.replace(path)


def _sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest(), path.stat().st_size


def bundle_dir(fmt: str) -> Path:
    """A sealed bundle holding one 10M-sample latency file (``csv`` or ``parquet``)."""
    root = DATA / f"bundle-{fmt}"
    samples = root / f"latency.{fmt}"
    root.mkdir(parents=True, exist_ok=True)
    if not samples.exists():
        _write_samples(samples, fmt)
    sha, size = _sha256(samples)
    (root / "manifest.yaml").write_text(
        "apiVersion: p0gate/v1\nkind: EvidenceBundle\n"
        f"metadata: {{system: bench, version: '1.0', phase: beta, collected_at: '{STAMP}'}}\n"
        f"artifacts:\n- {{id: latency, kind: latency-samples, path: latency.{fmt}, "
        f"sha256: {sha}, size: {size}, collected_at: '{STAMP}'}}\n"
    )
    return root
