from pathlib import Path

import pytest
from scipy.stats import beta

from p0gate.checks.exceedance import ExceedanceCheck, samples_needed, upper_bound
from p0gate.outcome import AlertLevel, Outcome
from tests.bundlekit import File, make_bundle, run_check


def run(tmp_path: Path, good: int, bad: int, **kw: object):  # type: ignore[no-untyped-def]
    body = "latency_ms\n" + "20\n" * good + "250\n" * bad
    bundle = make_bundle(tmp_path, [File("lat", "latency-samples", "l.csv", body.encode())])
    check = ExceedanceCheck.model_validate({"type": "exceedance", "artifact": "lat",
                                            "threshold": 200, "max_rate": 0.001, **kw})
    return run_check(check, bundle)


def test_upper_bound_matches_scipy_beta() -> None:
    for bad, n in ((0, 3000), (3, 10_000), (10, 1000)):
        assert upper_bound(bad, n, 0.95) == pytest.approx(beta.ppf(0.95, bad + 1, n - bad))
    assert upper_bound(5, 5, 0.95) == 1.0


def test_zero_failures_rule_of_three() -> None:
    assert samples_needed(0.0, 0.001, 0.95) == 2995  # ln(0.05)/ln(0.999)
    assert samples_needed(0.002, 0.001, 0.95) is None


def test_pass_with_confidence(tmp_path: Path) -> None:
    result = run(tmp_path, 5000, 1, confidence=0.95)
    assert result.outcome is Outcome.PASS
    assert result.measured["exceeding"] == 1 and result.measured["upper_bound"] < 0.001


def test_point_estimate_only_is_inconclusive_with_sample_count(tmp_path: Path) -> None:
    result = run(tmp_path, 1000, 0, confidence=0.95)
    assert result.outcome is Outcome.INCONCLUSIVE
    assert "about 2995 samples would be needed" in result.message


def test_without_confidence_point_estimate_decides(tmp_path: Path) -> None:
    assert run(tmp_path, 1000, 0).outcome is Outcome.PASS


def test_fail_and_emergency_alert(tmp_path: Path) -> None:
    result = run(tmp_path, 990, 10, alerts={"on": "max", "emergency": 200})
    assert result.outcome is Outcome.FAIL and result.alert_level is AlertLevel.EMERGENCY
    assert "10 of 1000 samples (1%) >= 200" in result.message


def test_no_samples(tmp_path: Path) -> None:
    assert run(tmp_path, 0, 0).outcome is Outcome.INCONCLUSIVE


def test_threshold_is_inclusive(tmp_path: Path) -> None:
    bundle = make_bundle(tmp_path, [File("lat", "latency-samples", "l.csv",
                                         b"latency_ms\n200\n199.9\n")])
    check = ExceedanceCheck(type="exceedance", artifact="lat", threshold=200, max_rate=0.4)
    result = run_check(check, bundle)
    assert result.measured["exceeding"] == 1 and result.outcome is Outcome.FAIL


def test_unreadable_samples_raise_for_the_evaluator(tmp_path: Path) -> None:
    from p0gate.errors import EvidenceError

    bundle = make_bundle(tmp_path, [File("lat", "latency-samples", "l.csv",
                                         b"latency_ms\n12\nNaN\n")])
    check = ExceedanceCheck(type="exceedance", artifact="lat", threshold=200, max_rate=0.1)
    with pytest.raises(EvidenceError, match="NaN"):
        run_check(check, bundle)
