"""The statistic check on reported percentiles of a load summary."""

from __future__ import annotations

import csv
from pathlib import Path

from p0gate.checks.statistic import StatisticCheck
from p0gate.outcome import AlertLevel, Outcome
from tests.bundlekit import File, make_bundle, run_check
from tests.conftest import TEST_DATA

LOCUST = TEST_DATA / "locust" / "run_stats.csv"
ROWS = {r["Name"]: r for r in csv.DictReader(LOCUST.read_text().splitlines())}


def check(**params: object) -> StatisticCheck:
    return StatisticCheck.model_validate({"type": "statistic", "artifact": "load", **params})


def bundle(tmp_path: Path):  # type: ignore[no-untyped-def]
    return make_bundle(
        tmp_path, [File("load", "load-summary", "load/run_stats.csv", LOCUST.read_bytes())]
    )


def test_reported_percentile_is_judged(tmp_path: Path) -> None:
    p95 = float(ROWS["crisis"]["95%"])
    found = run_check(check(column="crisis", stat="p95", le=p95), bundle(tmp_path))
    assert found.outcome is Outcome.PASS and found.measured["p95"] == p95
    found = run_check(check(column="crisis", stat="p95", lt=p95), bundle(tmp_path / "b"))
    assert found.outcome is Outcome.FAIL and "locust GET crisis" in found.message


def test_unreported_percentile_is_inconclusive(tmp_path: Path) -> None:
    found = run_check(check(stat="p97", lt=1000), bundle(tmp_path))
    assert found.outcome is Outcome.INCONCLUSIVE
    assert "p97 was not reported" in found.message and "p99.9" in found.message


def test_alerts_on_reported_statistic(tmp_path: Path) -> None:
    found = run_check(
        check(stat="count", ge=1, alerts={"on": "max", "warning": 50}), bundle(tmp_path)
    )
    assert found.outcome is Outcome.PASS
    assert found.measured["count"] == float(ROWS["Aggregated"]["Request Count"])
    assert found.alert_level is AlertLevel.WARNING  # max is over 1 s in the committed run


def test_unknown_endpoint_is_an_evidence_error(tmp_path: Path) -> None:
    import pytest

    from p0gate.errors import EvidenceError

    with pytest.raises(EvidenceError, match="no endpoint 'login'"):
        run_check(check(column="login", stat="p95", lt=10), bundle(tmp_path))


METHODS = TEST_DATA / "locust" / "run_methods_stats.csv"


def methods(tmp_path: Path):  # type: ignore[no-untyped-def]
    return make_bundle(tmp_path, [File("load", "load-summary", "m_stats.csv",
                                       METHODS.read_bytes())])


def test_every_row_of_an_endpoint_is_judged(tmp_path: Path) -> None:
    """GET crisis is fast and POST crisis slow (a real Locust run): the endpoint fails."""
    found = run_check(check(column="crisis", stat="p95", lt=100), methods(tmp_path))
    assert found.outcome is Outcome.FAIL
    assert "POST crisis: p95 = " in found.message and "GET crisis: p95" not in found.message
    assert found.measured["p95"] == found.measured["p95@POST crisis"] > 100
    assert found.measured["p95@GET crisis"] < 100
    one = run_check(check(column="GET crisis", stat="p95", lt=100), methods(tmp_path / "g"))
    assert one.outcome is Outcome.PASS


def test_rows_that_hold_pass_with_the_worst_value(tmp_path: Path) -> None:
    found = run_check(check(column="crisis", stat="p50", gt=1, alerts={"on": "p95",
                                                                      "warning": 100}),
                      methods(tmp_path))
    assert found.outcome is Outcome.PASS and "at worst" in found.message
    assert found.measured["p50"] == min(found.measured["p50@GET crisis"],
                                        found.measured["p50@POST crisis"])
    assert found.alert_level is AlertLevel.WARNING  # from the POST row


def test_a_row_without_the_statistic_is_inconclusive(tmp_path: Path) -> None:
    import json

    doc = {"metrics": {"http_req_duration": {"p(95)": 20},
                       "http_req_duration{name:a,method:GET}": {"p(95)": 15},
                       "http_req_duration{name:a,method:POST}": {"p(90)": 15}}}
    bundle = make_bundle(tmp_path, [File("load", "load-summary", "k6.json",
                                         json.dumps(doc).encode())])
    found = run_check(check(column="a", stat="p95", lt=100), bundle)
    assert found.outcome is Outcome.INCONCLUSIVE
    assert "not reported for http_req_duration{name:a,method:POST}" in found.message
