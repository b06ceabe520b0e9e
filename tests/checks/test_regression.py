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
