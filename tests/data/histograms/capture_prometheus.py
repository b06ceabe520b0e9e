"""Capture real Prometheus HTTP API answers for the histogram fixtures.

    eval "$(bash scripts/start-prometheus.sh start)"
    .venv/bin/python tests/data/histograms/capture_prometheus.py
    bash scripts/start-prometheus.sh stop "$P0GATE_PROM_DIR"

Writes ``prometheus-query.json`` (/api/v1/query of the raw buckets) and
``prometheus-query-range.json`` (/api/v1/query_range over the last minute, step 15 s) as the
server returned them, from the exporter of tests/collect/exporter.py.
"""

from __future__ import annotations

import os
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent


def fetch(path: str, **params: str) -> bytes:
    base = os.environ["P0GATE_TEST_PROMETHEUS_URL"]
    with urllib.request.urlopen(f"{base}{path}?{urllib.parse.urlencode(params)}") as answer:
        return bytes(answer.read())


def main() -> None:
    now = int(time.time())
    query = "crisis_latency_seconds_bucket"
    (HERE / "prometheus-query.json").write_bytes(fetch("/api/v1/query", query=query,
                                                       time=str(now)))
    (HERE / "prometheus-query-range.json").write_bytes(fetch(
        "/api/v1/query_range", query=query, start=str(now - 60), end=str(now), step="15"))


if __name__ == "__main__":
    main()
