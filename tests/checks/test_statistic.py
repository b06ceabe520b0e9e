from pathlib import Path

from p0gate.checks.statistic import StatisticCheck
from p0gate.outcome import AlertLevel, Outcome
from tests.bundlekit import File, make_bundle, run_check


def csv(values: list[float]) -> bytes:
    return ("latency_ms\n" + "".join(f"{v}\n" for v in values)).encode()


def check(**kw: object) -> StatisticCheck:
    return StatisticCheck.model_validate({"type": "statistic", "artifact": "lat",
                                          "column": "latency_ms", **kw})


def run(tmp_path: Path, values: list[float] | None, **kw: object):  # type: ignore[no-untyped-def]
    files = [] if values is None else [File("lat", "latency-samples", "l.csv", csv(values))]
    return run_check(check(**kw), make_bundle(tmp_path, files))


def test_pass_and_alert(tmp_path: Path) -> None:
    result = run(tmp_path, [10, 20, 60], stat="max", le=200,
                 alerts={"on": "max", "warning": 50, "critical": 100})
    assert result.outcome is Outcome.PASS and result.alert_level is AlertLevel.WARNING
    assert result.measured == {"max": 60.0, "samples": 3, "alert_on_max": 60.0}
    assert result.required == {"max": "<= 200"}


def test_fail(tmp_path: Path) -> None:
    result = run(tmp_path, [10, 20, 250], stat="p99", lt=200)
    assert result.outcome is Outcome.FAIL and "p99 = 250" in result.message


def test_nothing_selected_is_inconclusive(tmp_path: Path) -> None:
    assert run(tmp_path, None, stat="max", lt=1).outcome is Outcome.INCONCLUSIVE
    assert run(tmp_path / "e", [], stat="max", lt=1).outcome is Outcome.INCONCLUSIVE


def test_bad_samples_raise_for_the_evaluator(tmp_path: Path) -> None:
    import pytest

    from p0gate.errors import EvidenceError

    bundle = make_bundle(tmp_path, [File("lat", "latency-samples", "l.csv", b"latency_ms\nx\n")])
    with pytest.raises(EvidenceError, match="not numeric"):
        run_check(check(stat="max", lt=1), bundle)


def test_by_kind_concatenates_and_refuses_other_kinds(tmp_path: Path) -> None:
    import pytest

    from p0gate.errors import EvidenceError

    bundle = make_bundle(tmp_path, [File("a", "latency-samples", "a.csv", csv([1, 2])),
                                    File("b", "latency-samples", "b.csv", csv([3, 400]))])
    by_kind = StatisticCheck.model_validate({"type": "statistic", "kind": "latency-samples",
                                             "stat": "count", "eq": 4})
    assert run_check(by_kind, bundle).outcome is Outcome.PASS
    wrong = make_bundle(tmp_path / "w", [File("lat", "metrics", "m.json", b"{}")])
    with pytest.raises(EvidenceError, match="statistic check reads"):
        run_check(check(stat="max", lt=1), wrong)
