"""Latency evidence for the statistic, exceedance and regression checks, what the pack asks
of it, and reported load statistics."""

from decimal import Decimal
from pathlib import Path

import pytest

from p0gate.checks.base import CheckContext
from p0gate.checks.exceedance import ExceedanceCheck
from p0gate.checks.pack_files import PackFiles
from p0gate.checks.samples import ask_of, asks_of, latency, reported_stat
from p0gate.checks.statistic import StatisticCheck
from p0gate.errors import EvidenceError
from p0gate.evidence.bundle import Artifact, Bundle
from p0gate.evidence.dataset import Ask
from p0gate.evidence.store import EvidenceStore
from tests.bundlekit import NOW, File, make_bundle
from tests.conftest import TEST_DATA

LOCUST = (TEST_DATA / "locust" / "run_stats.csv").read_bytes()


def context(bundle: Bundle) -> CheckContext:
    return CheckContext(store=EvidenceStore(), bundle=bundle, files=PackFiles(), now=NOW)


def stat(**kw: object) -> StatisticCheck:
    return StatisticCheck.model_validate({"type": "statistic", "stat": "p50", "lt": 1, **kw})


def test_the_samples_of_several_artifacts_are_concatenated(tmp_path: Path) -> None:
    bundle = make_bundle(tmp_path, [File("a", "latency-samples", "a.csv", b"ms\n1\n2\n"),
                                    File("b", "latency-samples", "b.csv", b"ms\n3\n")])
    ctx, arts = context(bundle), list(bundle.manifest.artifacts)
    both = latency(ctx, stat(kind="latency-samples"), arts)
    assert both.total == 3 and float(both.at_rank(3).low) == 3.0
    one = latency(ctx, stat(artifact="a", column="ms"), arts[:1])
    assert one is ctx.read(arts[0], object).distribution("ms", ())  # type: ignore[attr-defined]


def test_a_histogram_is_never_combined_nor_filtered(tmp_path: Path) -> None:
    text = (b'# TYPE t_seconds histogram\nt_seconds_bucket{le="0.1"} 1\n'
            b't_seconds_bucket{le="+Inf"} 2\nt_seconds_count 2\nt_seconds_sum 1\n')
    bundle = make_bundle(tmp_path, [File("a", "latency-samples", "a.csv", b"ms\n1\n"),
                                    File("h", "latency-histogram", "h.prom", text)])
    ctx, arts = context(bundle), list(bundle.manifest.artifacts)
    with pytest.raises(EvidenceError, match="cannot be combined"):
        latency(ctx, stat(kind="latency-samples"), arts)
    with pytest.raises(EvidenceError, match="no columns for `where`"):
        latency(ctx, stat(artifact="h", where={"endpoint": "x"}), arts[1:])
    assert latency(ctx, stat(artifact="h"), arts[1:]).total == 2


def test_asks_gather_what_every_latency_check_needs() -> None:
    checks = [stat(artifact="crisis", stat="p99.9", lt=200,
                   alerts={"on": "p99", "warning": 50}),
              stat(kind="latency-samples", stat="mean", lt=100),
              stat(artifact="crisis", stat="max", lt=1000, where={"endpoint": "/A"})]
    asks = asks_of(checks)
    crisis = asks[("crisis", None, ())]
    assert crisis.stats == ("p99", "p99.9") and crisis.thresholds == ()
    assert asks[("crisis", None, (("endpoint", ("/a",)),))].stats == ("max",)
    assert asks[("latency-samples", None, ())] == Ask((), ("mean",))
    slow = asks_of([ExceedanceCheck.model_validate({
        "type": "exceedance", "artifact": "crisis", "threshold": 200, "max_rate": 0.01,
        "alerts": {"on": "max", "emergency": 1000}})])
    assert slow[("crisis", None, ())] == Ask((Decimal("200.0"),), ("max",))
    artifact = Artifact.model_validate({"id": "crisis", "kind": "latency-samples",
                                        "path": "c.csv", "collected_at": "2025-09-27T10:00:00Z"})
    merged = ask_of(asks, artifact, None, ())
    assert merged.stats == ("mean", "p99", "p99.9") and merged.thresholds == ()


def test_reported_statistics_come_from_exactly_one_summary(tmp_path: Path) -> None:
    bundle = make_bundle(tmp_path, [File("l", "load-summary", "l/run_stats.csv", LOCUST),
                                    File("m", "load-summary", "m/run_stats.csv", LOCUST)])
    ctx, (first, second) = context(bundle), bundle.manifest.artifacts
    rows, note = reported_stat(ctx, [first], "crisis", "p95")
    assert rows == [("GET crisis", 8.0)] and note.startswith("locust GET crisis:")
    assert reported_stat(ctx, [first], "crisis", "p97")[0] == [("GET crisis", None)]
    with pytest.raises(EvidenceError, match="cannot be combined"):
        reported_stat(ctx, [first, second], "crisis", "p95")
    with pytest.raises(EvidenceError, match="no endpoint 'nowhere'"):
        reported_stat(ctx, [first], "nowhere", "p95")
