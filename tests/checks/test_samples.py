"""Samples for the statistic, exceedance and regression checks; reported load statistics."""

import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from p0gate.checks.base import CheckContext
from p0gate.checks.pack_files import PackFiles
from p0gate.checks.samples import load_samples, reported_stat
from p0gate.errors import EvidenceError
from p0gate.evidence.bundle import Bundle
from p0gate.evidence.store import EvidenceStore
from tests.bundlekit import NOW, File, make_bundle
from tests.conftest import TEST_DATA

LOCUST = (TEST_DATA / "locust" / "run_stats.csv").read_bytes()


def context(bundle: Bundle) -> CheckContext:
    return CheckContext(store=EvidenceStore(), bundle=bundle, files=PackFiles(), now=NOW)


def test_the_samples_of_several_artifacts_are_concatenated(tmp_path: Path) -> None:
    bundle = make_bundle(tmp_path, [File("a", "latency-samples", "a.csv", b"ms\n1\n2\n"),
                                    File("b", "latency-samples", "b.csv", b"ms\n3\n")])
    ctx = context(bundle)
    values = load_samples(ctx, list(bundle.manifest.artifacts), None)
    assert sorted(values.tolist()) == [1.0, 2.0, 3.0]
    one = load_samples(ctx, list(bundle.manifest.artifacts[:1]), "ms")
    assert one is ctx.read(bundle.manifest.artifacts[0], object).column("ms")  # type: ignore[attr-defined]


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
def test_quantile_points_are_nearest_ranks_whatever_the_order(
    values: list[float], rnd: random.Random
) -> None:
    import math

    import numpy as np

    from p0gate.checks.samples import quantile_points

    ordered = sorted(values)
    shuffled = values[:]
    rnd.shuffle(shuffled)
    points = quantile_points(np.array(shuffled, dtype=np.float64))
    for point in points:
        rank = max(1, math.ceil(Decimal(str(point.percent)) * len(values) / 100))
        assert point.value == ordered[rank - 1]
    assert points == quantile_points(np.array(values, dtype=np.float64))


def test_units_of_what_latency_checks_measure() -> None:
    from p0gate.checks.samples import sample_unit

    assert [sample_unit(k) for k in ("p99.9", "max", "alert_on_p95", "baseline_p50",
                                     "threshold", "samples", "exceeding", "rate",
                                     "confidence", "degradation_percent", "p95@GET crisis",
                                     "column")] == [
        "ms", "ms", "ms", "ms", "ms", "samples", "samples", "fraction", "fraction", "%", "ms",
        ""]


def test_alert_markers_name_each_level_and_the_classified_statistic() -> None:
    from p0gate.checks.base import Alerts
    from p0gate.checks.samples import alert_markers

    alerts = Alerts.model_validate({"on": "p99.9", "warning": 50, "emergency": 200})
    marks = alert_markers(alerts, {"alert_on_p99.9": 120.0})
    assert [(m.kind, m.label, m.value) for m in marks] == [
        ("alert", "warning", 50), ("alert", "emergency", 200), ("measured", "p99.9", 120)]
    assert alert_markers(None, {}) == []
