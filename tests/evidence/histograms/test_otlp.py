"""OTLP JSON histograms written by the OpenTelemetry SDK (exponential and explicit)."""

import json
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from p0gate.errors import EvidenceError
from p0gate.evidence.histograms.model import count_below, percentile
from p0gate.evidence.histograms.otlp import parse_otlp
from tests.evidence.histograms.test_model import true_rank_value

DATA = Path(__file__).resolve().parents[2] / "data" / "histograms"


def samples_ms() -> np.ndarray:
    return np.loadtxt(DATA / "samples.csv", skiprows=1) / 1000


@pytest.mark.parametrize("name", ["otlp-exponential.json", "otlp-delta.jsonl",
                                  "otlp-explicit.json"])
def test_ranges_hold_the_nearest_rank_values(name: str) -> None:
    h = parse_otlp((DATA / name).read_bytes(), name)
    values = samples_ms()
    assert h.total == values.size and h.sum_ms == pytest.approx(values.sum())
    for stat in ("p50", "p95", "p99.9", "min"):
        truth = Decimal(repr(true_rank_value(values.tolist(), stat)))
        found = percentile(h, stat)
        assert found.low <= truth <= found.high


def test_explicit_bounds_in_seconds_are_exact_ms_counts() -> None:
    h = parse_otlp((DATA / "otlp-explicit.json").read_bytes(), "e")
    values = samples_ms()
    for bound in (100, 200, 250):
        count = count_below(h, Decimal(bound), inclusive=True)
        assert count.exact and count.low == int((values <= bound).sum())


def test_delta_lines_add_up_to_the_single_export() -> None:
    one = parse_otlp((DATA / "otlp-exponential.json").read_bytes(), "one")
    two = parse_otlp((DATA / "otlp-delta.jsonl").read_bytes(), "two")
    assert two.total == one.total
    for at in (Decimal(50), Decimal(200), Decimal(1000)):
        a, b = count_below(one, at, inclusive=True), count_below(two, at, inclusive=True)
        assert b.low <= a.high and a.low <= b.high  # same events, same grid


def _doc(point: dict[str, object], *, unit: str = "ms", temporality: int = 1,
         points: int = 1) -> bytes:
    metric = {"name": "lat", "unit": unit, "exponentialHistogram": {
        "aggregationTemporality": temporality, "dataPoints": [point] * points}}
    return json.dumps({"resourceMetrics": [{"scopeMetrics": [{"metrics": [metric]}]}]}).encode()


POINT = {"count": "3", "scale": 0, "zeroCount": "1",
         "positive": {"offset": 3, "bucketCounts": ["1", "1"]}}


def test_a_hand_made_exponential_point() -> None:
    h = parse_otlp(_doc(POINT), "p")
    assert h.total == 3
    assert count_below(h, Decimal(0), inclusive=True).low == 1  # the zero bucket
    assert count_below(h, Decimal(16), inclusive=True).low == 2  # (8, 16]
    assert count_below(h, Decimal(32), inclusive=True).low == 3  # (16, 32]
    assert count_below(h, Decimal(8), inclusive=True).low == 1


@pytest.mark.parametrize(("doc", "needle"), [
    (_doc({**POINT, "count": "4"}), "count is 4"),
    (_doc({**POINT, "negative": {"offset": 0, "bucketCounts": ["2"]}}), "negative"),
    (_doc(POINT, temporality=2, points=2), "cumulative points overlap"),
    (_doc(POINT, unit="By"), "not a time unit"),
    (b'{"resourceMetrics": [{"scopeMetrics": [{"metrics": [{"name": "x", "gauge": {}}]}]}]}',
     "no histogram metric"),
    (b'{"resourceMetrics": 5}', "not OTLP JSON"),
])
def test_bad_documents_are_errors(doc: bytes, needle: str) -> None:
    with pytest.raises(EvidenceError, match=needle):
        parse_otlp(doc, "artifact 'x'")


def test_manifest_unit_must_agree() -> None:
    with pytest.raises(EvidenceError, match="unit 's' but the data is in 'ms'"):
        parse_otlp(_doc(POINT), "p", unit="s")


@settings(max_examples=40, deadline=None)
@given(st.integers(-3, 3), st.integers(-20, 20),
       st.lists(st.integers(1, 10**12), min_size=1, max_size=20), st.integers(0, 5))
def test_any_point_counts_add_up(scale: int, offset: int, counts: list[int], zero: int) -> None:
    point = {"count": str(sum(counts) + zero), "scale": scale, "zeroCount": str(zero),
             "positive": {"offset": offset, "bucketCounts": [str(c) for c in counts]}}
    h = parse_otlp(_doc(point), "p")
    assert h.total == sum(counts) + zero
    top = percentile(h, "max")
    assert top.high > 0


def _explicit(bounds: list[object], counts: list[str], **extra: object) -> bytes:
    point = {"count": str(sum(map(int, counts))), "explicitBounds": bounds,
             "bucketCounts": counts, **extra}
    metric = {"name": "lat", "unit": "s", "histogram": {"aggregationTemporality": 2,
                                                        "dataPoints": [point]}}
    return json.dumps({"resourceMetrics": [{"scopeMetrics": [{"metrics": [metric]}]}]}).encode()


def _export(counts: list[str], service: str = "api") -> str:
    """One line of the collector's file exporter: a CUMULATIVE point of `lat`."""
    doc = json.loads(_explicit([0.2], counts))
    doc["resourceMetrics"][0]["resource"] = {"attributes": [
        {"key": "service.name", "value": {"stringValue": service}}]}
    return json.dumps(doc)


@pytest.mark.parametrize(("doc", "needle"), [
    # two exports of one cumulative series: adding them counts the first 1000 events twice
    # (1 slow event in 2010 passes a 0.08% rate; the truth is 10 in 1010)
    ((_export(["1000", "0"]) + "\n" + _export(["1000", "10"]) + "\n").encode(),
     "cumulative points overlap"),
    ((json.dumps({"resourceMetrics": [
        json.loads(_export(["10", "0"], "a"))["resourceMetrics"][0],
        json.loads(_export(["10", "0"], "b"))["resourceMetrics"][0]]})).encode(),
     "cumulative points overlap"),
    (_explicit([0.1, 0.1], ["5", "5", "0"]), "strictly increasing"),
    (_explicit([0.5, 0.1], ["5", "5", "0"]), "strictly increasing"),
    (_explicit([0.1, "Infinity"], ["0", "10", "0"]), "strictly increasing"),
    (_explicit([0.1], ["0", "10"], sum=-1.0), "not a sum of 10 latencies"),
    (_explicit([0.1], ["0", "10"], sum="NaN"), "not a sum of 10 latencies"),
    (_doc({**POINT, "scale": -1000}), "OTLP allows -10..20"),
    (_doc({**POINT, "scale": 1000}), "OTLP allows -10..20"),
    (_doc({**POINT, "zeroThreshold": "NaN"}), "zero threshold"),
    (_doc({**POINT, "zeroThreshold": -1.0}), "zero threshold"),
    (_doc({**POINT, "positive": {"offset": 2_000_000_000, "bucketCounts": ["2"]}}),
     "too large to represent"),
])
def test_points_that_cannot_be_read_exactly_are_errors(doc: bytes, needle: str) -> None:
    """Never a crash (a decimal overflow was exit 70) and never a silent merge."""
    with pytest.raises(EvidenceError, match=needle):
        parse_otlp(doc, "artifact 'x'")


def test_delta_points_of_two_services_are_not_merged() -> None:
    one, two = (json.loads(_export(["10", "0"], s)) for s in ("a", "b"))
    for doc in (one, two):
        doc["resourceMetrics"][0]["scopeMetrics"][0]["metrics"][0]["histogram"][
            "aggregationTemporality"] = 1
    lines = (json.dumps(one) + "\n" + json.dumps(two) + "\n").encode()
    with pytest.raises(EvidenceError, match="different resources"):
        parse_otlp(lines, "artifact 'x'")


def test_a_metric_spelled_like_the_chosen_one_is_refused_not_ignored() -> None:
    """OTel metric names are case-insensitive: `Lat` beside `lat` is not another metric."""
    doc = json.loads(_explicit([0.2], ["10", "0"]))
    metrics = doc["resourceMetrics"][0]["scopeMetrics"][0]["metrics"]
    metrics.append({**metrics[0], "name": "Lat"})
    with pytest.raises(EvidenceError, match="spelled alike"):
        parse_otlp(json.dumps(doc).encode(), "x", metric="lat")
