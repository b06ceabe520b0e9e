"""Prometheus histograms: real prometheus_client exposition and the HTTP API's JSON."""

import json
import random
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from p0gate.errors import EvidenceError
from p0gate.evidence.histograms.model import count_below
from p0gate.evidence.histograms.prometheus import parse_prometheus

DATA = Path(__file__).resolve().parents[2] / "data" / "histograms"
BOUNDS_MS = (5, 10, 25, 50, 100, 200, 250, 500, 1000, 2500)


def samples_ms() -> np.ndarray:
    return np.loadtxt(DATA / "samples.csv", skiprows=1) / 1000


@pytest.mark.parametrize("name", ["prometheus.txt", "openmetrics.txt"])
def test_exposition_counts_are_exact_at_every_le(name: str) -> None:
    h = parse_prometheus((DATA / name).read_bytes(), name)
    values = samples_ms()
    assert h.total == values.size and h.sum_ms == pytest.approx(values.sum())
    for bound in BOUNDS_MS:
        count = count_below(h, Decimal(bound), inclusive=True)
        assert count.exact and count.low == int((values <= bound).sum())
    # ties sit exactly on 200 ms: "< 200" is not known from le buckets and says so
    strict = count_below(h, Decimal(200), inclusive=False)
    assert strict.low < int((values < 200).sum()) < strict.high


def api(result: list[dict[str, object]], kind: str = "vector") -> bytes:
    return json.dumps({"status": "success", "data": {"resultType": kind,
                                                     "result": result}}).encode()


def bucket(le: str, value: str, **labels: str) -> dict[str, object]:
    return {"metric": {"__name__": "rpc_seconds_bucket", "le": le, **labels},
            "value": [1760000000, value]}


def test_api_vector_in_seconds_becomes_ms() -> None:
    h = parse_prometheus(api([bucket("0.2", "7"), bucket("+Inf", "10"), bucket("0.1", "3")]),
                         "q.json")
    assert h.total == 10 and count_below(h, Decimal(200), inclusive=True).low == 7


def test_api_matrix_of_raw_counters_counts_the_growth() -> None:
    series = [{"metric": {"__name__": "rpc_seconds_bucket", "le": le},
               "values": [[1, first], [2, last]]} for le, first, last in
              (("0.2", "5", "12"), ("+Inf", "6", "20"))]
    h = parse_prometheus(api(series, "matrix"), "r.json")
    assert h.total == 14 and count_below(h, Decimal(200), inclusive=True).low == 7


@pytest.mark.parametrize(("doc", "needle"), [
    (api([bucket("0.2", "7")]), r"no le=\"\+Inf\""),
    (api([bucket("0.1", "7"), bucket("0.2", "5"), bucket("+Inf", "9")]), "not cumulative"),
    (api([bucket("0.2", "7"), bucket("+Inf", "5")]), "outside 0..5"),
    (api([bucket("0.2", "NaN"), bucket("+Inf", "5")]), "not a whole number"),
    (api([bucket("0.2", "-1"), bucket("+Inf", "5")]), "negative count"),
    (api([bucket("0.2", "2.5"), bucket("+Inf", "5")]), "not a whole number"),
    (api([bucket("+Inf", "5", job="a"), bucket("+Inf", "6", job="b")]), "merging them"),
    (api([{"metric": {"le": "1", "__name__": "x_bucket"},
           "values": [[1, "5"], [2, "3"]]}], "matrix"), "reset"),
    (api([{"metric": {"le": "1"}, "values": [[1, "5"], [2, "6"]]}], "matrix"), "a guess"),
    (api([{"metric": {"le": "+Inf"}, "value": [1, "5"]}]), "unit is unknown"),
    (api([{"metric": {"__name__": "up"}, "value": [1, "1"]}]), "not a histogram bucket"),
    (b'{"status": "error", "error": "bad query"}', "not a successful"),
    (b"{nope", "not valid JSON"),
    (b"# TYPE x histogram\nx_bucket{le=\"1\"} 1\n", r"\+Inf"),
    (b"# TYPE x_seconds histogram\nx_seconds_bucket{le=\"+Inf\"} 2\nx_seconds_count 3\n",
     "_count 3 differs"),
    (b"x_bucket{le=\"1\" 1\n", "not valid Prometheus"),
])
def test_inconsistent_buckets_are_errors_naming_the_file(doc: bytes, needle: str) -> None:
    with pytest.raises(EvidenceError, match=needle) as info:
        parse_prometheus(doc, "artifact 'lat' (lat.json)")
    assert "artifact 'lat' (lat.json)" in str(info.value)


def test_units_conflicting_with_the_manifest_are_refused() -> None:
    text = (DATA / "prometheus.txt").read_bytes()
    with pytest.raises(EvidenceError, match="unit 'ms' but the data is in 's'"):
        parse_prometheus(text, "p.txt", unit="ms")
    assert parse_prometheus(text, "p.txt", unit="s").total == 2000


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 3000), min_size=1, max_size=200), st.randoms())
def test_any_recorded_histogram_reads_back_exactly_in_any_line_order(
        observed_ms: list[int], rnd: random.Random) -> None:
    from prometheus_client import CollectorRegistry, Histogram, generate_latest

    registry = CollectorRegistry()
    hist = Histogram("t_milliseconds", "t", buckets=BOUNDS_MS, registry=registry)
    for v in observed_ms:
        hist.observe(v)
    lines = generate_latest(registry).decode().splitlines()
    spots = [i for i, line in enumerate(lines) if line.startswith("t_milliseconds_bucket")]
    moved = [lines[i] for i in spots]
    rnd.shuffle(moved)  # the bucket lines in any order
    for i, line in zip(spots, moved, strict=True):
        lines[i] = line
    shuffled = "\n".join(lines) + "\n"
    h = parse_prometheus(shuffled.encode(), "t.txt")
    arr = np.asarray(observed_ms)
    assert h.total == arr.size
    for bound in BOUNDS_MS:
        assert count_below(h, Decimal(bound), inclusive=True).low == int((arr <= bound).sum())


def text_of(*lines: str) -> bytes:
    return ("# TYPE x_seconds histogram\n" + "\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("doc", [
    # one bound in two spellings: which count holds would be a guess (the last one won)
    text_of('x_seconds_bucket{le="0.2"} 50', 'x_seconds_bucket{le="0.20"} 99',
            'x_seconds_bucket{le="+Inf"} 100'),
    text_of('x_seconds_bucket{le="0.2"} 50', 'x_seconds_bucket{le=" 0.2"} 99',
            'x_seconds_bucket{le="+Inf"} 100'),
    text_of('x_seconds_bucket{le="0.2"} 99', 'x_seconds_bucket{le="Inf"} 99',
            'x_seconds_bucket{le="+Inf"} 100'),
    api([bucket("0.2", "50"), bucket("2e-1", "99"), bucket("+Inf", "100")]),
])
def test_a_bound_given_twice_in_any_spelling_is_refused(doc: bytes) -> None:
    with pytest.raises(EvidenceError, match="given twice"):
        parse_prometheus(doc, "lat.txt")


@pytest.mark.parametrize(("slow", "total_sum", "needle"), [
    (100, "-5", "not a sum of 100 latencies"), (100, "NaN", "not a sum of 100 latencies"),
    (0, "1e300", "contradicts the buckets"),  # 100 events <= 0.2 s add up to 20 s at most
    (100, "1", "contradicts the buckets"),  # 100 events above 0.2 s cannot add up to 1 s
])
def test_a_sum_the_buckets_cannot_hold_is_refused(slow: int, total_sum: str,
                                                  needle: str) -> None:
    """The mean is taken from _sum: a negative or impossible one would decide `mean < 200`."""
    doc = text_of(f'x_seconds_bucket{{le="0.2"}} {100 - slow}',
                  'x_seconds_bucket{le="+Inf"} 100', f"x_seconds_sum {total_sum}",
                  "x_seconds_count 100")
    with pytest.raises(EvidenceError, match=needle):
        parse_prometheus(doc, "lat.txt")


def test_a_metric_named_with_another_case_is_refused_not_ignored() -> None:
    doc = (b'# TYPE x_seconds histogram\nx_seconds_bucket{le="0.2"} 10\n'
           b'x_seconds_bucket{le="+Inf"} 10\n# TYPE X_seconds histogram\n'
           b'X_seconds_bucket{le="0.2"} 0\nX_seconds_bucket{le="+Inf"} 10\n')
    with pytest.raises(EvidenceError, match="spelled alike"):
        parse_prometheus(doc, "lat.txt", metric="x_seconds")


def test_bucket_series_over_different_time_ranges_are_refused() -> None:
    """The 0.2 s bucket has one point (its counter since the process started, 1009), the
    others the growth over the range (1010, of which 10 are slow): mixing them showed 1
    slow event in 1010 instead of 10."""
    def series(le: str, points: list[list[object]]) -> dict[str, object]:
        return {"metric": {"__name__": "rpc_seconds_bucket", "le": le}, "values": points}

    doc = api([series("0.2", [[2, "1009"]]), series("+Inf", [[1, "0"], [2, "1010"]])],
              "matrix")
    with pytest.raises(EvidenceError, match="different time ranges"):
        parse_prometheus(doc, "r.json")


def test_a_unit_the_metric_name_says_in_a_short_word_is_understood() -> None:
    """`rpc_latency_sec` in seconds was read as ms (0.25 s: 0.25 ms); `_us` as ms too."""
    def doc(metric: str) -> bytes:
        return (f'# TYPE {metric} histogram\n{metric}_bucket{{le="0.25"}} 10\n'
                f'{metric}_bucket{{le="+Inf"}} 10\n').encode()

    assert parse_prometheus(doc("rpc_latency_sec"), "p").cuts[0].at == 250
    assert parse_prometheus(doc("rpc_latency_us"), "p").cuts[0].at == Decimal("0.00025")
    with pytest.raises(EvidenceError, match="unit 'ms' but the data is in 's'"):
        parse_prometheus(doc("rpc_latency_sec"), "p", unit="ms")
