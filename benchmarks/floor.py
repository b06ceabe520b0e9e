"""The floor: read the samples with pyarrow, compute the pack's numbers with numpy, print them.

Run as a whole process: ``python benchmarks/floor.py FILE``.
"""

from __future__ import annotations

import math
import sys

import numpy as np
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

PERCENTILES = (50, 95, 99, 99.9)
THRESHOLD = 500.0


def main(path: str) -> None:
    table = pq.read_table(path) if path.endswith(".parquet") else pcsv.read_csv(path)
    values = table.column("latency_ms").to_numpy()
    n = values.size
    ranks = [max(1, math.ceil(p * n / 100)) - 1 for p in PERCENTILES]
    part = np.partition(values, ranks)
    stats = {f"p{p}": float(part[r]) for p, r in zip(PERCENTILES, ranks, strict=True)}
    stats.update(
        max=float(values.max()),
        mean=float(values.mean()),
        exceeding=int((values >= THRESHOLD).sum()),
        n=n,
    )
    print(stats)


if __name__ == "__main__":
    main(sys.argv[1])
