"""Latency evidence for the statistic, exceedance and regression checks, what the pack asks
of it, and reported load statistics."""

import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1,
                max_size=300), st.randoms())
def test_figure_points_are_nearest_ranks_whatever_the_order(
    values: list[float], rnd: random.Random
) -> None:
    import math

    import numpy as np

    from p0gate.checks.samples import figure_points
    from p0gate.evidence.samples import SampleValues

    ordered = sorted(values)
    shuffled = values[:]
    rnd.shuffle(shuffled)
    points, basis = figure_points(SampleValues(np.array(shuffled, dtype=np.float64)))
    assert basis == "samples"
    for point in points:
        rank = max(1, math.ceil(Decimal(str(point.percent)) * len(values) / 100))
        assert point.value == float(Decimal(repr(ordered[rank - 1])))
    assert points == figure_points(SampleValues(np.array(values, dtype=np.float64)))[0]


def test_a_histogram_is_drawn_from_its_bucket_counts() -> None:
    """Each point is what the buckets state exactly: the share of events at or below a
    boundary; a run of equal counts keeps its first boundary; +Inf and 0 are not drawn."""
    from p0gate.checks.samples import figure_points
    from p0gate.evidence.histograms.model import Cut, build

    def le(at: str) -> Cut:
        return Cut(Decimal(at), True)

    h = build([(le("0"), 0), (le("50"), 600), (le("100"), 900), (le("200"), 1000),
               (le("400"), 1000), (Cut(Decimal("Infinity"), True), 1000)], 1000)
    points, basis = figure_points(h)
    assert basis == "buckets"
    assert [(p.percent, p.value) for p in points] == [(60, 50), (90, 100), (100, 200)]


def test_the_evaluation_asks_a_dataset_for_the_drawn_percentiles_too() -> None:
    from p0gate.checks.samples import with_figures

    asks = asks_of([stat(artifact="crisis", stat="p99.9", lt=200)])
    drawn = with_figures(asks)[("crisis", None, ())]
    assert "p99.9" in drawn.stats and {"min", "p50", "p99.99", "max"} <= set(drawn.stats)
    assert drawn.thresholds == asks[("crisis", None, ())].thresholds


def test_units_of_what_latency_checks_measure() -> None:
    from p0gate.checks.samples import sample_unit

    assert [sample_unit(k) for k in ("p99.9", "max", "alert_on_p95", "baseline_p50",
                                     "threshold", "samples", "exceeding", "rate",
                                     "confidence", "degradation_percent", "p95@GET crisis",
                                     "column", "events", "upper_bound_at_most")] == [
        "ms", "ms", "ms", "ms", "ms", "samples", "samples", "fraction", "fraction", "%", "ms",
        "", "events", "fraction"]


def test_alert_markers_name_each_level_and_the_classified_statistic() -> None:
    from p0gate.checks.base import Alerts
    from p0gate.checks.samples import alert_markers

    alerts = Alerts.model_validate({"on": "p99.9", "warning": 50, "emergency": 200})
    marks = alert_markers(alerts, {"alert_on_p99.9": 120.0})
    assert [(m.kind, m.label, m.value) for m in marks] == [
        ("alert", "warning", 50), ("alert", "emergency", 200), ("measured", "p99.9", 120)]
    assert alert_markers(None, {}) == []
