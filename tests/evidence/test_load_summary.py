"""The load-summary reader on a real Locust run and a k6 summary export."""

from __future__ import annotations

import csv
import json
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
        (stats,) = summary.endpoint(name)
        row = rows[name]
        assert stats.requests == int(row["Request Count"])
        assert stats.failures == int(row["Failure Count"])
        assert stats.stat("p95") == float(row["95%"])
        assert stats.stat("p99.9") == float(row["99.9%"])
        assert stats.stat("max") == float(row["Max Response Time"])
        assert stats.stat("mean") == float(row["Average Response Time"])
        assert stats.stat("count") == float(row["Request Count"])
    assert summary.endpoint(None) == summary.endpoint("Aggregated")
    assert summary.endpoint("GET crisis") == summary.endpoint("crisis")
    assert summary.endpoint("login") == ()
    (aggregated,) = summary.endpoint(None)
    assert aggregated.stat("p97") is None  # not reported: never interpolated
    assert aggregated.stat("p100") == float(rows["Aggregated"]["100%"])


def test_k6_summary_export(tmp_path: Path) -> None:
    summary = read(tmp_path, K6.read_bytes(), "k6.json")
    ((whole,), (crisis,)) = summary.endpoint(None), summary.endpoint("crisis")
    assert summary.tool == "k6"
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


METHODS = Path(__file__).resolve().parent.parent / "data" / "locust" / "run_methods_stats.csv"


def test_one_name_keeps_every_row(tmp_path: Path) -> None:
    """A real Locust run with GET and POST of one endpoint name: both rows are kept."""
    summary = read(tmp_path, METHODS.read_bytes(), "run_methods_stats.csv")
    rows = summary.endpoint("crisis")
    assert [r.label for r in rows] == ["GET crisis", "POST crisis"]
    assert summary.endpoint("POST crisis") == rows[1:]
    assert rows[1].stat("p95") > 200 > rows[0].stat("p95")  # type: ignore[operator]


def test_k6_sub_metrics_with_several_tags(tmp_path: Path) -> None:
    doc = {"metrics": {
        "http_req_duration": {"avg": 10, "p(95)": 20},
        "http_req_duration{name:crisis,method:GET}": {"p(95)": 15},
        "http_req_duration{method:POST,name:crisis}": {"p(95)": 450},
        "http_req_duration{expected_response:true}": {"p(95)": 19},
    }}
    summary = read(tmp_path, json.dumps(doc).encode(), "k6.json")
    assert sorted(r.stat("p95") for r in summary.endpoint("crisis")) == [15, 450]
    assert [r.stat("p95") for r in summary.endpoint(None)] == [20]


def _locust_row(**cells: str) -> bytes:
    lines = METHODS.read_text().splitlines()
    header = lines[0].split(",")
    row = dict(zip(header, lines[1].split(","), strict=True)) | cells
    return "\n".join([lines[0], ",".join(row[c] for c in header), lines[-1]]).encode() + b"\n"


@pytest.mark.parametrize(("cells", "words"), [
    ({"99%": "-5"}, "negative or not finite"),
    ({"99%": "NaN"}, "negative or not finite"),
    ({"Max Response Time": "inf"}, "negative or not finite"),
    ({"Request Count": "1e400"}, "negative or not finite"),
    ({"Request Count": "12.5"}, "not a whole number"),
    ({"Failure Count": "-1"}, "negative or not finite"),
])
def test_impossible_numbers_are_invalid(tmp_path: Path, cells: dict[str, str],
                                        words: str) -> None:
    with pytest.raises(EvidenceError, match="line 2") as info:
        read(tmp_path, _locust_row(**cells), "run_stats.csv")
    assert words in str(info.value)


@pytest.mark.parametrize(("data", "words"), [
    (b"Type,Name,Request Count,Failure Count,Average Response Time,Min Response Time,"
     b"Max Response Time,99%,99%\n,Aggregated,1,0,1,1,1,1,500\n", "'99%' is given twice"),
    (b"Type,Name,Request Count,Failure Count,Average Response Time,Min Response Time,"
     b"Max Response Time,99%,99.0%\n,Aggregated,1,0,1,1,1,1,500\n", "p99 is reported twice"),
    (b"Type,Name,Request Count,Failure Count,Average Response Time,Min Response Time,"
     b"Max Response Time,NaN%\n,Aggregated,1,0,1,1,1,1\n", "not a percentile"),
    (b"Type,Name,Request Count,Failure Count,Average Response Time,Min Response Time,"
     b"Max Response Time\n,Aggregated,1,0,1,1,1,extra\n", "more or fewer cells"),
])
def test_ambiguous_locust_files(tmp_path: Path, data: bytes, words: str) -> None:
    with pytest.raises(EvidenceError) as info:
        read(tmp_path, data, "run_stats.csv")
    assert words in str(info.value)


@pytest.mark.parametrize(("trend", "words"), [
    ('{"p(99)": -1}', "negative"),
    ('{"p(99)": ' + "9" * 400 + "}", "too large"),
    ('{"p(99)": 1, "p(99.0)": 2}', "reported twice"),
    ('{"p(99)": 1e999}', "too large"),
])
def test_impossible_k6_numbers(tmp_path: Path, trend: str, words: str) -> None:
    body = '{"metrics": {"http_req_duration": ' + trend + "}}"
    with pytest.raises(EvidenceError) as info:
        read(tmp_path, body.encode(), "k6.json")
    assert words in str(info.value)


def test_k6_counts_must_be_counts(tmp_path: Path) -> None:
    body = b'{"metrics": {"http_req_duration": {"p(99)": 1}, "http_reqs": {"count": -3}}}'
    with pytest.raises(EvidenceError, match="not a count"):
        read(tmp_path, body, "k6.json")
    body = b'{"metrics": {"http_req_duration": {"p(99)": 1}, "http_req_duration{name:a}": 5}}'
    with pytest.raises(EvidenceError, match="must be an object"):
        read(tmp_path / "b", body, "k6.json")
