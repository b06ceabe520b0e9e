"""A small exporter with known values for the Prometheus tests (prometheus_client).

    python tests/collect/exporter.py PORT

Serves, on 127.0.0.1:PORT, the histogram ``crisis_latency_seconds`` holding ``LATENCIES_MS``
(ties on the 0.2 s bucket bound included) and ``http_requests_total`` with ``REQUESTS`` by
status code. The values never change, so every scrape returns the same numbers.
"""

from __future__ import annotations

import sys
import time

BUCKETS_S = (0.05, 0.1, 0.2, 0.5, 1.0)
LATENCIES_MS = [12] * 500 + [80] * 300 + [150] * 150 + [200] * 40 + [350] * 9 + [1500]
REQUESTS = {"200": 99_960, "500": 40}


def main(port: int) -> None:
    from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server

    registry = CollectorRegistry()
    hist = Histogram("crisis_latency_seconds", "Crisis endpoint latency", buckets=BUCKETS_S,
                     registry=registry)
    for ms in LATENCIES_MS:
        hist.observe(ms / 1000)
    requests = Counter("http_requests", "Requests by code", ["service", "code"], registry=registry)
    for code, count in REQUESTS.items():
        requests.labels(service="sync", code=code).inc(count)
    start_http_server(port, addr="127.0.0.1", registry=registry)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main(int(sys.argv[1]))
