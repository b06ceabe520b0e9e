"""Collect from a real Prometheus (make test starts one) scraping an exporter of known values."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from p0gate.collect import prometheus as prom
from p0gate.collect.engine import Window, collect
from p0gate.collect.spec import CollectionSpec
from p0gate.errors import EvidenceError
from p0gate.evidence.histograms.decide import compare, exceedance
from p0gate.evidence.histograms.model import count_below
from p0gate.evidence.histograms.prometheus import parse_prometheus
from tests.collect.exporter import LATENCIES_MS
from tests.collect.services import need

pytestmark = pytest.mark.prometheus
AVAILABILITY = ("100 * (1 - sum(http_requests_total{service='sync',code=~'5..'}) / "
                "sum(http_requests_total{service='sync'}))")


@pytest.fixture(scope="module")
def url() -> str:
    return need("P0GATE_TEST_PROMETHEUS_URL", "a Prometheus scraping tests/collect/exporter.py")


def window() -> tuple[datetime, datetime]:
    end = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=2)
    return end - timedelta(days=1), end  # the range starts before the exporter existed


def test_histogram_buckets_decide_as_the_known_values_say(url: str) -> None:
    start, end = window()
    doc = prom.fetch_histogram(url, "crisis_latency_seconds", '{job="p0gate-exporter"}',
                               start, end)
    h = parse_prometheus(json.dumps(doc).encode(), "crisis-latency")
    assert h.total == len(LATENCIES_MS) == 1000
    assert count_below(h, Decimal(200), inclusive=True).low == sum(v <= 200 for v in LATENCIES_MS)
    assert compare(h, "p99", "le", 200).holds is True  # rank 990: 990 values <= 200 ms
    undecided = compare(h, "p99", "lt", 200)  # 40 values sit exactly on 200 ms
    assert undecided.holds is None and undecided.boundary is not None
    assert exceedance(h, 500, 0.02).verdict == "pass"  # 1 to 10 of 1000 are >= 500 ms
    assert exceedance(h, 500, 0.0005).verdict == "fail"
    assert doc["provenance"]["engine"].startswith("prometheus 2.")


def test_instant_queries_become_a_metrics_document(url: str) -> None:
    start, end = window()
    doc = prom.fetch_metrics(url, {"availability.percent": AVAILABILITY}, start, end)
    assert doc["availability"]["percent"] == pytest.approx(99.96)
    assert doc["provenance"]["queries"]["availability.percent"]["query"] == AVAILABILITY
    with pytest.raises(EvidenceError, match="returned 2 series"):
        prom.fetch_metrics(url, {"x": "http_requests_total"}, start, end)


def test_collecting_twice_gives_the_same_bytes(url: str, tmp_path: Path) -> None:
    spec = CollectionSpec.model_validate({
        "apiVersion": "p0gate/v1", "kind": "Collection",
        "metadata": {"system": "p0-cloud-sync", "version": "1.4.2", "phase": "beta"},
        "sources": {"prom": {"type": "prometheus", "url": url}},
        "artifacts": [
            {"id": "crisis-latency", "kind": "latency-histogram", "source": "prom",
             "histogram": {"metric": "crisis_latency_seconds"}},
            {"id": "availability", "kind": "metrics", "source": "prom",
             "promql": {"availability.percent": AVAILABILITY}}]})
    start, end = window()
    now = datetime(2025, 10, 1, tzinfo=UTC)
    first = collect(spec, tmp_path / "a", Window(tmp_path, start, end), {}, now=now)
    second = collect(spec, tmp_path / "b", Window(tmp_path, start, end), {}, now=now)
    assert first == second
    assert [e["id"] for e in first] == ["crisis-latency", "availability"]
    assert (tmp_path / "a" / "crisis-latency.json").read_bytes() == \
        (tmp_path / "b" / "crisis-latency.json").read_bytes()


def test_an_unreachable_server_is_an_error() -> None:
    start, end = window()
    with pytest.raises(EvidenceError, match="failed"):
        prom.fetch_metrics("http://127.0.0.1:9", {"x": "up"}, start, end)


@pytest.mark.parametrize("data", [
    {"resultType": "vector", "result": [{"metric": {}, "value": [1, "+Inf"]}]},
    {"resultType": "vector", "result": [{"metric": {}, "value": [1, "-Inf"]}]},
    {"resultType": "vector", "result": [{"metric": {}, "value": [1, "NaN"]}]},
    {"resultType": "scalar", "result": [1, "NaN"]},
    {"resultType": "scalar", "result": [1, "+Inf"]},
])
def test_an_answer_that_is_not_a_finite_number_is_an_error(data: dict[str, object]) -> None:
    """`100 * ok / total` over an empty range is +Inf, which passed `>= 99`; a NaN scalar
    crashed writing the artifact (exit 70)."""
    with pytest.raises(EvidenceError, match="not a finite number"):
        prom._scalar(data, "availability.percent", "100 * ok / total")
