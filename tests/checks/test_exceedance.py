from pathlib import Path

import pytest

from p0gate.checks.exceedance import ExceedanceCheck
from p0gate.outcome import AlertLevel, Outcome
from tests.bundlekit import File, make_bundle, run_check


def run(tmp_path: Path, good: int, bad: int, **kw: object):  # type: ignore[no-untyped-def]
    body = "latency_ms\n" + "20\n" * good + "250\n" * bad
    bundle = make_bundle(tmp_path, [File("lat", "latency-samples", "l.csv", body.encode())])
    check = ExceedanceCheck.model_validate({"type": "exceedance", "artifact": "lat",
                                            "threshold": 200, "max_rate": 0.001, **kw})
    return run_check(check, bundle)


def test_pass_with_confidence(tmp_path: Path) -> None:
    result = run(tmp_path, 5000, 1, confidence=0.95)
    assert result.outcome is Outcome.PASS
    assert result.measured["exceeding"] == 1 and result.measured["upper_bound"] < 0.001
    assert "95% upper bound 0.0948228%" in result.message


def test_a_pass_proven_by_the_cheaper_bound_says_at_most(tmp_path: Path) -> None:
    result = run(tmp_path, 20000, 1, confidence=0.95)
    assert result.outcome is Outcome.PASS
    assert result.measured["upper_bound_at_most"] < 0.001 and "upper_bound" not in \
        result.measured
    assert "95% upper bound at most" in result.message


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


PROMETHEUS = (Path(__file__).resolve().parents[1] / "data" / "histograms" /
              "prometheus.txt").read_bytes()  # le (ms): 100: 1370, 200: 1858, 250: 1923


def on_histogram(tmp_path: Path, **kw: object):  # type: ignore[no-untyped-def]
    bundle = make_bundle(tmp_path, [File("h", "latency-histogram", "h.prom", PROMETHEUS)])
    check = ExceedanceCheck.model_validate({"type": "exceedance", "artifact": "h",
                                            "threshold": 200, **kw})
    return run_check(check, bundle)


def test_a_histogram_decides_when_both_ends_of_the_bucket_agree(tmp_path: Path) -> None:
    passed = on_histogram(tmp_path, max_rate=0.5)  # between 142 and 630 of 2000 are >= 200
    assert passed.outcome is Outcome.PASS
    assert passed.measured == {"events": 2000, "exceeding": "142..630", "rate": "0.071..0.315"}
    assert on_histogram(tmp_path / "f", max_rate=0.05).outcome is Outcome.FAIL


def test_a_threshold_inside_a_bucket_that_could_flip_is_inconclusive(tmp_path: Path) -> None:
    result = on_histogram(tmp_path, max_rate=0.2)
    assert result.outcome is Outcome.INCONCLUSIVE
    assert result.message == (
        "artifact 'h': between 142 and 630 of 2000 events (7.1..31.5%) >= 200, allowed 20%: "
        "the bucket from 100 to 200 ms holds the threshold, so the share could pass or fail: "
        "add a bucket boundary just below 200 ms (a bucket counts the values <= its bound, "
        "so the events < 200 ms need one)")


def test_an_empty_bucket_below_the_threshold_makes_the_count_exact(tmp_path: Path) -> None:
    body = (b'# TYPE t_seconds histogram\nt_seconds_bucket{le="0.1"} 900\n'
            b't_seconds_bucket{le="0.2"} 990\nt_seconds_bucket{le="0.25"} 990\n'
            b't_seconds_bucket{le="+Inf"} 1000\n')
    bundle = make_bundle(tmp_path, [File("h", "latency-histogram", "h.prom", body)])
    check = ExceedanceCheck.model_validate({"type": "exceedance", "artifact": "h",
                                            "threshold": 250, "max_rate": 0.02,
                                            "confidence": 0.95})
    result = run_check(check, bundle)
    assert result.outcome is Outcome.PASS and result.measured["exceeding"] == 10
