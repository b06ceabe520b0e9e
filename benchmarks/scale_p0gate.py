"""p0gate's side of the dataset benchmark: verify every file, then answer exactly."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from p0gate.evidence.dataset import answer_files, verify_files

THRESHOLDS = (200.0, 500.0)
STATS = ("p50", "p95", "p99", "p99.9", "max")


def main(root: Path, listing: Path) -> None:
    files = [(rel, digest) for digest, rel in
             (line.split("  ", 1) for line in listing.read_text().splitlines())]
    verified = verify_files(root.parent, root.name, files, "bench")
    with tempfile.TemporaryDirectory(prefix="p0gate-spill-") as spill:
        answers = answer_files(verified, "latency_ms", fmt="parquet", name="bench",
                               thresholds=THRESHOLDS, stats=STATS, engine="duckdb",
                               temp_dir=Path(spill))
    print(answers)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
