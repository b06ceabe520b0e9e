from pathlib import Path

from p0gate.checks.regression import RegressionCheck
from p0gate.outcome import AlertLevel, Outcome
from tests.bundlekit import File, make_bundle, run_check

CHECK = RegressionCheck(type="regression", artifact="sync", stat="p95",
                        max_degradation_percent=10,
                        alerts={"warning": 5, "critical": 10, "emergency": 20})  # type: ignore[arg-type]


def samples(scale: float) -> File:
    body = "latency_ms\n" + "".join(f"{i * scale}\n" for i in range(1, 101))
    return File("sync", "latency-samples", "s.csv", body.encode())


def run(tmp_path: Path, now: float, before: float | None):  # type: ignore[no-untyped-def]
    bundle = make_bundle(tmp_path / "now", [samples(now)])
    base = make_bundle(tmp_path / "base", [samples(before)]) if before else None
    return run_check(CHECK, bundle, baseline=base)


def test_within_limit_with_warning(tmp_path: Path) -> None:
    result = run(tmp_path, 1.07, 1.0)
    assert result.outcome is Outcome.PASS and result.alert_level is AlertLevel.WARNING
    assert result.measured["degradation_percent"] == 7.0


def test_over_limit_fails_and_alerts(tmp_path: Path) -> None:
    result = run(tmp_path, 1.25, 1.0)
    assert result.outcome is Outcome.FAIL and result.alert_level is AlertLevel.EMERGENCY


def test_improvement_passes(tmp_path: Path) -> None:
    result = run(tmp_path, 0.5, 1.0)
    assert result.outcome is Outcome.PASS and "improved by 50%" in result.message


def test_no_baseline_or_missing_artifact_is_inconclusive(tmp_path: Path) -> None:
    assert run(tmp_path / "a", 1.0, None).outcome is Outcome.INCONCLUSIVE
    bundle = make_bundle(tmp_path / "b", [samples(1.0)])
    other = make_bundle(tmp_path / "c", [File("x", "document", "x.txt", b"x")])
    assert run_check(CHECK, bundle, baseline=other).outcome is Outcome.INCONCLUSIVE


def test_higher_is_better(tmp_path: Path) -> None:
    check = RegressionCheck(type="regression", artifact="sync", stat="mean",
                            max_degradation_percent=10, higher_is_better=True)
    bundle = make_bundle(tmp_path / "n", [samples(0.8)])
    base = make_bundle(tmp_path / "b", [samples(1.0)])
    result = run_check(check, bundle, baseline=base)
    assert result.outcome is Outcome.FAIL and result.measured["degradation_percent"] == 20.0


def test_unreadable_baseline_raises_for_the_evaluator(tmp_path: Path) -> None:
    import pytest

    from p0gate.errors import EvidenceError

    bundle = make_bundle(tmp_path / "n", [samples(1.0)])
    bad = File("sync", "latency-samples", "s.csv", b"latency_ms\n-1\n")
    base = make_bundle(tmp_path / "b", [bad])
    with pytest.raises(EvidenceError, match="negative latency"):
        run_check(CHECK, bundle, baseline=base)


def prometheus(counts: tuple[int, int, int]) -> File:
    """A Prometheus histogram of 100 events: cumulative counts at 50, 100 and 200 ms."""
    body = "# TYPE t_seconds histogram\n" + "".join(
        f't_seconds_bucket{{le="{le}"}} {n}\n' for le, n in
        zip(("0.05", "0.1", "0.2", "+Inf"), (*counts, 100), strict=True))
    return File("sync", "latency-histogram", "h.prom", body.encode())


def regress(tmp_path: Path, now: tuple[int, int, int], before: tuple[int, int, int]):  # type: ignore[no-untyped-def]
    check = RegressionCheck(type="regression", artifact="sync", stat="p50",
                            max_degradation_percent=10)
    return run_check(check, make_bundle(tmp_path / "n", [prometheus(now)]),
                     baseline=make_bundle(tmp_path / "b", [prometheus(before)]))


def test_histograms_regress_by_their_bucket_ranges(tmp_path: Path) -> None:
    better = regress(tmp_path / "a", (0, 60, 100), (0, 10, 100))  # (50, 100] vs (100, 200]
    assert better.outcome is Outcome.PASS and better.measured["degradation_percent"] == "-75..0"
    worse = regress(tmp_path / "b", (0, 10, 100), (60, 100, 100))  # (100, 200] vs [0, 50]
    assert worse.outcome is Outcome.INCONCLUSIVE and "reaches 0" in worse.message
    wide = regress(tmp_path / "c", (0, 60, 100), (0, 60, 100))
    assert wide.outcome is Outcome.INCONCLUSIVE and "too wide to tell" in wide.message
    assert wide.measured["baseline_p50"] == "(50, 100] ms"
