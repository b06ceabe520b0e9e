"""The load-summary reader on a real Locust run and a k6 summary export."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from p0gate.errors import EvidenceError
from p0gate.evidence.load_summary import LoadSummary, LoadSummaryReader
from tests.bundlekit import File, make_bundle
from tests.conftest import TEST_DATA

LOCUST = TEST_DATA / "locust" / "run_stats.csv"
K6 = TEST_DATA / "k6" / "summary-export.json"


def read(tmp_path: Path, data: bytes, path: str) -> LoadSummary:
    bundle = make_bundle(tmp_path, [File("load", "load-summary", path, data)])
    artifact = bundle.find("load")
    assert artifact is not None
    return LoadSummaryReader().read(bundle.blob(artifact))


def test_locust_aggregated_and_endpoints(tmp_path: Path) -> None:
    summary = read(tmp_path, LOCUST.read_bytes(), "run_stats.csv")
    rows = {r["Name"]: r for r in csv.DictReader(LOCUST.read_text().splitlines())}
    assert summary.tool == "locust"
    for name in ("Aggregated", "crisis", "sync", "missing"):
        stats = summary.endpoint(name)
        assert stats is not None
        row = rows[name]
        assert stats.requests == int(row["Request Count"])
        assert stats.failures == int(row["Failure Count"])
        assert stats.stat("p95") == float(row["95%"])
        assert stats.stat("p99.9") == float(row["99.9%"])
        assert stats.stat("max") == float(row["Max Response Time"])
        assert stats.stat("mean") == float(row["Average Response Time"])
        assert stats.stat("count") == float(row["Request Count"])
    assert summary.endpoint(None) is summary.endpoint("Aggregated")
    assert summary.endpoint("GET crisis") is summary.endpoint("crisis")
    aggregated = summary.endpoint(None)
    assert aggregated is not None
    assert aggregated.stat("p97") is None  # not reported: never interpolated
    assert aggregated.stat("p100") == float(rows["Aggregated"]["100%"])


def test_k6_summary_export(tmp_path: Path) -> None:
    summary = read(tmp_path, K6.read_bytes(), "k6.json")
    whole, crisis = summary.endpoint(None), summary.endpoint("crisis")
    assert summary.tool == "k6" and whole is not None and crisis is not None
    assert whole.requests == 12000 and whole.failures == 20
    assert whole.stat("p95") == 51.2 and whole.stat("p50") == 19.7
    assert whole.stat("p99.9") is None and whole.stat("p100") == 187.3
    assert crisis.stat("p99") == 88.0 and crisis.requests is None
    assert [p for p, _ in whole.percentiles] == [Decimal(50), Decimal(90), Decimal(95), Decimal(99)]


def test_locust_without_aggregated_row(tmp_path: Path) -> None:
    lines = LOCUST.read_text().splitlines()
    cut = "\n".join(line for line in lines if ",Aggregated," not in line) + "\n"
    with pytest.raises(EvidenceError, match="no Aggregated row"):
        read(tmp_path, cut.encode(), "run_stats.csv")


@pytest.mark.parametrize(
    ("data", "path", "words"),
    [
        (b"request_id,latency_ms\nr1,3\n", "x_stats.csv", "missing columns"),
        (b'{"metrics": {}}', "k6.json", "no metrics.http_req_duration"),
        (b'{"metrics": {"http_req_duration": {"p(95)": "fast"}}}', "k6.json", "not a number"),
        (b"x", "summary.txt", "Locust *_stats.csv or a k6"),
    ],
)
def test_bad_files(tmp_path: Path, data: bytes, path: str, words: str) -> None:
    with pytest.raises(EvidenceError, match="load") as info:
        read(tmp_path, data, path)
    assert words in str(info.value)


def test_non_numeric_cell_names_line_and_column(tmp_path: Path) -> None:
    lines = LOCUST.read_text().splitlines()
    cells = lines[1].split(",")
    cells[2] = "many"
    text = "\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n"
    with pytest.raises(EvidenceError, match=r"line 2, column 'Request Count'"):
        read(tmp_path, text.encode(), "run_stats.csv")
