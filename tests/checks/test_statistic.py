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


PROMETHEUS = (Path(__file__).resolve().parents[1] / "data" / "histograms" /
              "prometheus.txt").read_bytes()  # le (ms): 50: 598, 100: 1370, 250: 1923, 500: 1988


def on_histogram(tmp_path: Path, **kw: object):  # type: ignore[no-untyped-def]
    bundle = make_bundle(tmp_path, [File("h", "latency-histogram", "h.prom", PROMETHEUS)])
    return run_check(StatisticCheck.model_validate({"type": "statistic", "artifact": "h", **kw}),
                     bundle)


def test_a_histogram_decides_on_a_bucket_boundary(tmp_path: Path) -> None:
    result = on_histogram(tmp_path, stat="p99", le=500)
    assert result.outcome is Outcome.PASS
    assert result.measured == {"p99": "(250, 500] ms", "events": 2000}
    assert result.message == "p99 lies in (250, 500] ms over 2000 events meets <= 500"
    assert on_histogram(tmp_path / "f", stat="p99", le=250).outcome is Outcome.FAIL


def test_a_histogram_decides_when_the_bucket_lies_on_one_side(tmp_path: Path) -> None:
    assert on_histogram(tmp_path, stat="p50", lt=180).outcome is Outcome.PASS  # (50, 100]
    assert on_histogram(tmp_path / "f", stat="p50", gt=120).outcome is Outcome.FAIL


def test_a_limit_inside_the_bucket_is_inconclusive_naming_the_boundary(tmp_path: Path) -> None:
    result = on_histogram(tmp_path, stat="p99", le=300)
    assert result.outcome is Outcome.INCONCLUSIVE
    assert result.message == (
        "artifact 'h': p99 lies in (250, 500] ms over 2000 events, a bucket that holds the "
        "limit <= 300 ms: add a bucket boundary at 300 ms")
    strict = on_histogram(tmp_path / "s", stat="p99", lt=300)
    assert "add a bucket boundary just below 300 ms" in strict.message


def test_an_open_alert_level_on_a_histogram_is_the_highest_it_may_be(tmp_path: Path) -> None:
    result = on_histogram(tmp_path, stat="p99", le=500,
                          alerts={"on": "p99", "warning": 100, "critical": 300})
    assert result.alert_level is AlertLevel.CRITICAL
    assert "alert level between warning and critical: p99 lies in (250, 500] ms" in \
        result.message


def test_where_keeps_the_samples_of_one_endpoint(tmp_path: Path) -> None:
    body = b"latency_ms,endpoint\n10,/api/crisis\n900,/api/sync\n30,/API/Crisis\n"
    bundle = make_bundle(tmp_path, [File("lat", "latency-samples", "l.csv", body)])
    crisis = run_check(check(stat="max", lt=100, where={"endpoint": "/api/crisis"}), bundle)
    assert crisis.outcome is Outcome.PASS and crisis.measured["samples"] == 2
    assert "where endpoint=/api/crisis" in crisis.message
    none = run_check(check(stat="max", lt=100, where={"endpoint": "/nowhere"}), bundle)
    assert none.outcome is Outcome.INCONCLUSIVE and "no samples where endpoint=/nowhere" in \
        none.message
    import pytest

    from p0gate.errors import EvidenceError

    with pytest.raises(EvidenceError, match="no column 'route' to filter on"):
        run_check(check(stat="max", lt=100, where={"route": "/api/crisis"}), bundle)


def test_a_histogram_is_drawn_from_its_bucket_counts(tmp_path: Path) -> None:
    """The figure of a histogram holds only what its buckets state: the share of events at
    or below each boundary, exactly as counted; the p99 is a bucket range, so no measured
    line is drawn for it (the limit and the alert levels are)."""
    from p0gate.checks.base import CheckContext
    from p0gate.checks.pack_files import PackFiles
    from p0gate.evidence.store import EvidenceStore
    from p0gate.measures import Distribution
    from tests.bundlekit import NOW

    params = StatisticCheck.model_validate({"type": "statistic", "artifact": "h", "stat": "p99",
                                            "le": 500, "alerts": {"on": "p99", "warning": 400}})
    bundle = make_bundle(tmp_path, [File("h", "latency-histogram", "h.prom", PROMETHEUS)])
    ctx = CheckContext(store=EvidenceStore(), bundle=bundle, files=PackFiles(), now=NOW)
    found = params.run(ctx)
    figure = params.figure(ctx, found)
    assert isinstance(figure, Distribution) and figure.basis == "buckets"
    points = {p.value: p.percent for p in figure.points}
    total = figure.count
    assert points[50] == 598 / total * 100 and points[500] == 1988 / total * 100
    assert {m.kind for m in figure.markers} == {"limit", "alert"}
    assert params.units_for(found)["events"] == "events"
