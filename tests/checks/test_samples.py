"""Samples for the statistic, exceedance and regression checks; reported load statistics."""

from pathlib import Path

import pytest

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
