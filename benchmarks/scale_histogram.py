"""A histogram of 10^12 events: parse Prometheus text and decide every statistic, in process.

``--confidence`` adds the Clopper–Pearson bound to the exceedance (decided here without
scipy: the Chernoff bound already proves it). ``--write DIR`` writes the exposition and a
bundle around it instead, for ``p0gate evaluate``.
"""

from __future__ import annotations

import sys

from p0gate.evidence.histograms.decide import alert_range, compare, exceedance
from p0gate.evidence.histograms.prometheus import parse_prometheus

EVENTS = 10**12
BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]


def exposition() -> bytes:
    lines = ["# TYPE crisis_latency_seconds histogram"]
    for i, bound in enumerate(BOUNDS):
        count = EVENTS - EVENTS // (10 ** (i // 2 + 1)) if i < len(BOUNDS) - 1 else EVENTS
        lines.append(f'crisis_latency_seconds_bucket{{le="{bound}"}} {count}')
    lines += [f'crisis_latency_seconds_bucket{{le="+Inf"}} {EVENTS}',
              f"crisis_latency_seconds_count {EVENTS}", "crisis_latency_seconds_sum 4e9"]
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    h = parse_prometheus(exposition(), "bench")
    assert h.total == EVENTS
    found = [compare(h, stat, op, limit).holds for stat in ("p50", "p99", "p99.9", "max", "mean")
             for op, limit in (("lt", 200), ("le", 250), ("gt", 1000))]
    confidence = 0.95 if "--confidence" in sys.argv else None
    decided = exceedance(h, 250, 0.01, confidence)
    assert decided.verdict == "pass"
    level = alert_range(h, "p99.9", [("emergency", 1000), ("critical", 500), ("warning", 250)])
    print(found, decided.verdict, level, "scipy" in sys.modules)


if __name__ == "__main__":
    main()
