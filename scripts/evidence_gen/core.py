"""Crisis, performance and user evidence: latency samples, JUnit, incidents, metrics, documents.

Latencies are drawn from seeded log-normal distributions shaped like the guide's numbers
(crisis ~20 ms median); a "bad" topic adds the tail or the failures that its controls catch.
"""

from __future__ import annotations

import io
import json
from datetime import datetime
from xml.sax.saxutils import quoteattr

import numpy as np

from evidence_gen import Art, Spec, since, stamp

TOPICS = ("crisis-latency", "crisis-load", "emergency-access", "crisis-tests",
          "crisis-coordination", "incidents", "crisis-team", "sync", "frames", "metrics",
          "regression", "monitoring", "documents", "stale")
DAILY_HOURS = 40  # a "stale" daily artifact: older than the 1-day freshness controls allow


def artifacts(spec: Spec) -> list[Art]:
    rng = np.random.default_rng(spec.seed)
    arts = [_crisis_latency(spec, rng), _emergency_access(spec, rng), _metrics(spec)]
    if spec.monitor:
        return [*arts, _incidents(spec), _sync_latency(spec, rng)]
    arts.append(_crisis_tests(spec))
    if spec.gate != "beta":  # pre-release evidence has no incident export yet
        arts.append(_incidents(spec))
    if spec.gate == "post-rollback":
        return arts
    arts.extend((_sync_latency(spec, rng), _frames(spec, rng), _monitoring(spec),
                 *_documents(spec)))
    if spec.judged_at("staging", "production-25"):  # the 10x scale test of Phase 2
        arts.extend((_crisis_load(spec, rng), _load_summary(spec), _coordination(spec)))
    return arts


def _daily(spec: Spec, hours_before: float) -> datetime:
    """When a daily artifact was collected: within the day, or days before when stale."""
    return spec.at(DAILY_HOURS if spec.bad("stale") else hours_before)


def _csv(column: str, values: np.ndarray) -> bytes:
    out = io.StringIO()
    out.write(f"request_id,{column}\n")
    for i, v in enumerate(values):
        out.write(f"r{i:06d},{v:.3f}\n")
    return out.getvalue().encode()


def _lognormal(rng: np.random.Generator, median: float, sigma: float, n: int,
               cap: float) -> np.ndarray:
    return np.minimum(median * rng.lognormal(0.0, sigma, n), cap)


def _crisis_latency(spec: Spec, rng: np.random.Generator) -> Art:
    n = 3_600 if spec.monitor else spec.crisis_samples
    bad = spec.bad("crisis-latency")
    values = _lognormal(rng, 24.0 if bad else 20.0, 0.3, n, 95.0)  # bad: mean +20%
    if bad:
        idx = rng.choice(values.size, n // 200, replace=False)  # 0.5% of events over 200 ms
        values[idx] = rng.uniform(210, 420, idx.size)
    if "spike" in spec.extra:  # one slow crisis response, everything else as usual
        values[n // 2] = float(spec.extra["spike"])
    window = "the last hour of production traffic" if spec.monitor else "a load test"
    return Art("crisis-latency", "latency-samples", "crisis/latency.csv",
               _csv("latency_ms", values),
               _monitor_time(spec, 4) or _daily(spec, float(spec.extra.get("crisis-hours", 6))),
               f"crisis endpoint latency, {n:,} requests of {window}")


def _monitor_time(spec: Spec, minutes_before: float) -> datetime | None:
    """Monitoring evidence is minutes old; None for a gate bundle."""
    return spec.at(minutes_before / 60) if spec.monitor else None


def _crisis_load(spec: Spec, rng: np.random.Generator) -> Art:
    values = _lognormal(rng, 35.0, 0.35, 20_000, 150.0)
    if spec.bad("crisis-load"):
        idx = rng.choice(values.size, 400, replace=False)  # 2% over 200 ms under 10x load
        values[idx] = rng.uniform(205, 600, idx.size)
    elif "10x-tail" in spec.extra:  # 10 of 20,000 between 200 and 260 ms: 0.05%
        idx = rng.choice(values.size, 10, replace=False)
        values[idx] = rng.uniform(200, 260, idx.size)
    return Art("crisis-latency-10x", "latency-samples", "crisis/latency-10x.parquet",
               _parquet("latency_ms", values), spec.at(8),
               "Locust 10x load test of the crisis endpoint, 20,000 requests")


_LOCUST_HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)


def _load_summary(spec: Spec) -> Art:
    """A Locust ``--csv`` stats file of the 10x run, in Locust's own column layout."""
    slow = spec.bad("crisis-load")
    rows = [
        ("POST", "/api/crisis", 48_210, 0, (31, 38, 42, 45, 58, 71, 96, 118, 340 if slow else 164,
                                            420 if slow else 188, 455 if slow else 196)),
        ("POST", "/api/sync", 96_400, 12, (44, 52, 57, 61, 77, 92, 120, 141, 230, 310, 362)),
    ]
    lines = [_LOCUST_HEADER]
    for method, name, count, failures, pcts in rows:
        lines.append(f"{method},{name},{count},{failures},{pcts[0]},{pcts[0] * 1.12:.3f},"
                     f"{pcts[0] * 0.3:.3f},{pcts[-1]:.3f},512.0,{count / 600:.3f},"
                     f"{failures / 600:.3f}," + ",".join(str(p) for p in pcts))
    total = sum(r[2] for r in rows)
    agg = tuple(max(a, b) for a, b in zip(rows[0][4], rows[1][4], strict=True))
    lines.append(f",Aggregated,{total},12,{agg[0]},{agg[0] * 1.1:.3f},9.300,{agg[-1]:.3f},"
                 f"512.0,{total / 600:.3f},0.020," + ",".join(str(p) for p in agg))
    return Art("load-test-10x", "load-summary", "performance/locust_10x_stats.csv",
               ("\n".join(lines) + "\n").encode(), spec.at(9),
               "locust --headless -u 5000 -r 250 -t 10m --csv performance/locust_10x (10x load)")


def _parquet(column: str, values: np.ndarray) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(pa.table({column: pa.array(np.round(values, 3))}), sink)
    return sink.getvalue()


def _emergency_access(spec: Spec, rng: np.random.Generator) -> Art:
    values = _lognormal(rng, 1100.0, 0.18, 500, 2600.0)
    if spec.bad("emergency-access"):
        values[rng.choice(values.size, 4, replace=False)] = [3150.0, 3400.0, 4100.0, 3020.0]
    return Art("emergency-access", "latency-samples", "crisis/emergency-access.jsonl",
               "".join(json.dumps({"screen": f"s{i % 25:02d}", "access_ms": round(float(v), 1)})
                       + "\n" for i, v in enumerate(values)).encode(),
               _monitor_time(spec, 5) or _daily(spec, 10),
               "Espresso/XCUITest crisis-button timing from every screen, 500 attempts")


_CRISIS_CASES = {
    "test_988": ["test_988_call_dials_lifeline", "test_988_text_opens_sms",
                 "test_988_chat_link_988lifeline_org"],
    "test_offline": ["test_offline_crisis_plan_available", "test_offline_988_dial_without_network",
                     "test_offline_safety_contacts_cached"],
    "test_multi_device": ["test_multi_device_crisis_state_propagates",
                          "test_multi_device_alert_on_all_devices",
                          "test_multi_device_conflict_keeps_crisis_plan"],
    "test_emergency_contact": ["test_emergency_contact_sync_preserved_during_update",
                               "test_emergency_contact_encrypted_in_transit",
                               "test_emergency_contact_rollback_safe"],
}


def junit(suite: str, cases: dict[str, list[str]], failing: set[str], when: str) -> bytes:
    """JUnit XML as pytest writes it (one testsuite, testcase classname = module path)."""
    rows = []
    total = sum(len(v) for v in cases.values())
    for module, names in cases.items():
        for name in names:
            body = ""
            if name in failing:
                body = (f'<failure message="AssertionError: {name} failed">AssertionError'
                        "</failure>")
            rows.append(f'<testcase classname="tests.{module}" name="{name}" '
                        f'time="0.{len(name):03d}">{body}</testcase>')
    failures = len(failing)
    head = (f'<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests">'
            f'<testsuite name={quoteattr(suite)} errors="0" failures="{failures}" skipped="0" '
            f'tests="{total}" time="1.234" timestamp="{when}" hostname="ci-runner-3">')
    return (head + "".join(rows) + "</testsuite></testsuites>\n").encode()


def _crisis_tests(spec: Spec) -> Art:
    failing = ({names[-1] for names in _CRISIS_CASES.values()}
               if spec.bad("crisis-tests") else set())
    return Art("crisis-tests", "junit", "crisis/junit.xml",
               junit("pytest", _CRISIS_CASES, failing, stamp(spec.at(5))[:-1]), spec.at(5),
               "pytest -p no:cacheprovider --junitxml of the crisis integration suite")


def _incidents(spec: Spec) -> Art:
    rows: list[dict[str, object]] = [
        {"id": "INC-101", "severity": "low", "category": "performance",
         "opened_at": stamp(spec.at(3)), "title": "Sync retry storm on one device"},
        {"id": "INC-102", "severity": "medium", "category": "availability",
         "opened_at": stamp(spec.at(5)), "title": "Push notification delay"},
        {"id": "INC-103", "severity": "low", "category": "security", "user_data_affected": False,
         "opened_at": stamp(spec.at(7)), "title": "Expired TLS certificate on a test host"},
    ]
    bad = {"safety": ("critical", "Crisis button hidden behind modal"),
           "security": ("critical", "Key material logged in debug build"),
           "compliance": ("high", "Audit log gap during migration"),
           "stability": ("high", "Sync service crash loop after deploy")}
    for category, (severity, title) in bad.items():
        if spec.bad("incidents") or spec.bad(f"{category}-incidents"):
            rows.append({"id": f"INC-2{len(rows):02d}", "severity": severity,
                         "category": category, "opened_at": stamp(spec.at(2)), "title": title,
                         **({"user_data_affected": True} if category == "security" else {})})
    rows.extend(_extra_incidents(spec))
    body = "".join(json.dumps(r, sort_keys=True) + "\n" for r in rows)
    window = "the last hour" if spec.monitor else "the phase window"
    return Art("incidents", "incidents", "ops/incidents.jsonl", body.encode(),
               _monitor_time(spec, 2) or _daily(spec, 1),
               f"PagerDuty incident export for {window}")


def _extra_incidents(spec: Spec) -> list[dict[str, object]]:
    """Edge cases: a high (not critical) safety incident, an unclassified security one."""
    extra: list[dict[str, object]] = []
    if spec.extra.get("safety") == "high":
        extra.append({"id": "INC-301", "severity": "high", "category": "safety",
                      "opened_at": stamp(spec.at(2)), "title": "Crisis plan shown late"})
    if spec.extra.get("security") == "untagged":
        extra.append({"id": "INC-302", "severity": "medium", "category": "security",
                      "opened_at": stamp(spec.at(2)), "title": "Token replay on one device"})
    return extra


def _sync_latency(spec: Spec, rng: np.random.Generator) -> Art:
    median = 28.0
    if spec.bad("sync"):
        median = 75.0
    elif spec.bad("regression"):
        median = 33.0  # within the 100 ms limit, but > 10% slower than the baseline
    n = 3_600 if spec.monitor else 5_000
    values = _lognormal(rng, median, 0.3, n, 400.0)
    return Art("sync-latency", "latency-samples", "performance/sync-latency.csv",
               _csv("latency_ms", values), _monitor_time(spec, 4) or _daily(spec, 6),
               f"client telemetry of sync operations, {n:,} samples")


def _frames(spec: Spec, rng: np.random.Generator) -> Art:
    values = np.minimum(rng.normal(9.5, 1.6, 10_000), 16.0)
    if spec.bad("frames"):
        idx = rng.choice(values.size, 300, replace=False)  # 3% dropped frames
        values[idx] = rng.uniform(17, 40, idx.size)
    values = np.maximum(values, 4.0)
    return Art("frame-times", "latency-samples", "performance/frame-times.csv",
               _csv("frame_ms", values), _daily(spec, 7),
               "Android FrameMetrics / iOS CADisplayLink capture of 10,000 interactions")


def _metrics(spec: Spec) -> Art:
    bad = spec.bad("metrics")
    doc: dict[str, object] = {}
    if spec.gate != "post-rollback" and not spec.monitor:
        doc["memory"] = {"leaks_detected": 2 if bad else 0,
                         "peak_budget_ratio": 1.3 if bad else 0.82}
    if spec.gate != "beta":  # users exist from beta on
        doc["availability"] = {"percent": 98.7 if bad else 99.97}
    if not spec.monitor and spec.judged_at(*since("staging")):
        doc["feedback"] = {"mean_rating": 3.8 if bad else 4.84, "responses": 412}
    doc.update(_phase_metrics(spec, bad))
    return Art("service-metrics", "metrics", "ops/metrics.json",
               (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode(),
               _monitor_time(spec, 3) or _daily(spec, 2),
               "Prometheus/Grafana export and in-app survey summary for the phase window")


def _phase_metrics(spec: Spec, bad: bool) -> dict[str, object]:
    """What only some gates read: cohorts, scale, the rollout step, the 30/90-day review."""
    doc: dict[str, object] = {}
    if spec.judged_at("staging", "production-25"):
        large = spec.gate == "production-25"
        doc["cohort"] = {"users": (5_120 if large else 512) // (3 if bad else 1),
                         "days": 4 if bad else (14 if large else 7)}
        doc["scale"] = {"max_load_multiplier": 6 if bad else 10,
                        "throughput_efficiency": 0.71 if bad else 0.94}
    if spec.judged_at("production-25", "complete"):
        doc["sync"] = {"conflicts_manual_percent": 1.8 if bad else 0.4}
    if spec.judged_at(*since("production-50")) and not spec.monitor:
        step = spec.rollout_percent or 0
        share = (90 if spec.gate == "complete" else step + 10) if bad else step
        doc["rollout"] = {"days_at_previous_step": 3 if bad else 7, "target_users_percent": share}
    if spec.gate == "complete" and not spec.monitor:
        doc["usage"] = {"sync_active_percent_30d": 64.0 if bad else 86.5}
        if "no-90d" not in spec.extra:  # a real day-29 bundle has no 90-day figures yet
            doc["availability_90d"] = {"percent": 99.9 if bad else 99.98}
            rating = 4.75 if bad else float(spec.extra.get("feedback-90d", 4.85))
            doc["feedback"] = {"mean_rating": 3.8 if bad else 4.84, "responses": 412,
                               "mean_rating_90d": rating}
    return doc


DOMAINS = ("crisis", "performance", "security", "compliance", "clinical")


def _monitoring(spec: Spec) -> Art:
    names = [f"test_{d}_alert_pipeline_fires" for d in DOMAINS]
    if spec.extra.get("probes") == "crisis-only":  # five probes of one domain
        names = [f"test_crisis_alert_pipeline_fires_{i}" for i in range(1, 6)]
    failing = set(names) if spec.bad("monitoring") else set()
    return Art("monitoring-probes", "junit", "ops/monitoring-probes.xml",
               junit("synthetic-probes", {"test_monitoring": names}, failing,
                     stamp(spec.at(3))[:-1]), spec.at(3),
               "synthetic alert probes run against the monitoring stack")


_SCALE_CASES = {"test_crisis_coordination_scale": [
    "test_multi_user_alert_fanout_10x", "test_simultaneous_crises_isolated",
    "test_coordinator_failover_under_load"]}


def _coordination(spec: Spec) -> Art:
    failing = ({"test_coordinator_failover_under_load"}
               if spec.bad("crisis-coordination") else set())
    return Art("crisis-coordination-scale", "junit", "crisis/coordination-scale.xml",
               junit("pytest", _SCALE_CASES, failing, stamp(spec.at(8))[:-1]), spec.at(8),
               "pytest --junitxml of the multi-user crisis coordination suite at 10x load")


def _documents(spec: Spec) -> list[Art]:
    old = spec.bad("crisis-team") or spec.bad("documents")
    team = b"" if old else (b"24/7 crisis response team roster and activation record\n"
                            b"On-call rotation: 6 responders, 3 shifts, escalation to Crisis "
                            b"Authority within 5 minutes.\n")
    drill = (b"Weekly emergency drill report: 988 hand-off, offline crisis plan, "
             b"multi-device alert. All steps completed.\n")
    report = (b"Network efficiency and battery validation: 7 devices, 48 h soak, "
              b"sync payload 18 KB median, battery drain within the 2%/h budget.\n")
    return [
        Art("crisis-team-roster", "document", "crisis/team-roster.txt", team, spec.at(24),
            "crisis response team lead"),
        Art("emergency-drill-report", "document", "crisis/drill-report.txt", drill,
            spec.at(20 * 24 if old else 48), "crisis authority's weekly drill record"),
        Art("network-battery-report", "document", "performance/network-battery.txt",
            report if not spec.bad("documents") else b"", spec.at(72),
            "device lab soak test report"),
    ]
