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
    assert found.outcome is Outcome.FAIL and "locust crisis" in found.message


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
