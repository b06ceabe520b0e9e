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


def large_pack(controls: int = 110) -> Path:
    """The default pack grown to about ``controls`` controls: each policy file again under
    new control ids (``-COPY``, ``-COPY2``…), as a pack that has grown would be."""
    import shutil

    import yaml

    from p0gate.yamlio import load_yaml

    source, root = HERE.parent / "policies", DATA / f"pack-{controls}"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(source, root)
    docs = {p: load_yaml(p)[0] for p in sorted(source.glob("*.yaml"))}
    files = [p for p, doc in docs.items() if doc.get("kind") == "PolicySet"]
    count = sum(len(docs[p]["controls"]) for p in files)
    copy = 0
    while count < controls:
        copy += 1
        for path in files:
            doc = load_yaml(path)[0]
            for control in doc["controls"]:
                control["id"] = f"{control['id']}-COPY{copy}"
            count += len(doc["controls"])
            (root / f"{path.stem}-copy{copy}.yaml").write_text(yaml.safe_dump(doc))
            if count >= controls:
                break
    return root


HISTOGRAM_PACK = """\
apiVersion: p0gate/v1
kind: PolicySet
metadata: {name: bench-histogram, authority: crisis}
controls:
"""
HISTOGRAM_CHECKS = [
    ("HIST-P999", "{type: statistic, artifact: crisis, stat: p99.9, le: 250, "
     "alerts: {on: p99.9, warning: 250, critical: 500, emergency: 1000}}"),
    ("HIST-P50", "{type: statistic, artifact: crisis, stat: p50, lt: 200}"),
    ("HIST-MEAN", "{type: statistic, artifact: crisis, stat: mean, lt: 200}"),
    ("HIST-EXC", "{type: exceedance, artifact: crisis, threshold: 250, max_rate: 0.01, "
     "confidence: 0.95}"),
]


def histogram_bundle() -> tuple[Path, Path]:
    """A bundle holding a Prometheus histogram of 10^12 events, and a pack of four controls."""
    import scale_histogram

    root, pack = DATA / "histogram-bundle", DATA / "histogram-pack"
    root.mkdir(parents=True, exist_ok=True)
    pack.mkdir(parents=True, exist_ok=True)
    data = scale_histogram.exposition()
    (root / "crisis.prom").write_bytes(data)
    (root / "manifest.yaml").write_text(
        "apiVersion: p0gate/v1\nkind: EvidenceBundle\n"
        f"metadata: {{system: bench, version: '1.0', phase: beta, collected_at: '{STAMP}'}}\n"
        f"artifacts:\n- {{id: crisis, kind: latency-histogram, path: crisis.prom, "
        f"sha256: {hashlib.sha256(data).hexdigest()}, size: {len(data)}, "
        f"collected_at: '{STAMP}'}}\n")
    (pack / "bench.yaml").write_text(HISTOGRAM_PACK + "".join(
        f"  - id: {cid}\n    title: {cid}\n    severity: critical\n"
        f"    blocking: true\n    phases: [beta]\n    check: {check}\n"
        for cid, check in HISTOGRAM_CHECKS))
    return root, pack
