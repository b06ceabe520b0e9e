"""Charts are drawn by matplotlib from the typed figures of the result, as accessible SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from p0gate.formats.base import HistoryPoint
from p0gate.formats.chart import alt_text, chart, history_chart, nines
from p0gate.measures import Distribution, Marker, QuantilePoint, Regression
from p0gate.result import ControlResult, Result

SVG = "{http://www.w3.org/2000/svg}"


def control(result: Result, cid: str) -> ControlResult:
    return next(c for c in result.controls if c.id == cid)


def texts(svg: ET.Element) -> str:
    return " ".join(t.text or "" for t in svg.iter(f"{SVG}text"))


def test_a_distribution_is_an_svg_with_its_text_alternative_first(sample: Result) -> None:
    c = control(sample, "CR-1-LATENCY")
    assert isinstance(c.figure, Distribution)
    svg = ET.fromstring(str(chart(c)))
    assert svg.get("role") == "img"
    first = svg[0]
    assert first.tag == f"{SVG}title" and first.text == alt_text(c)
    for marker in c.figure.markers:  # every line drawn is named in the alternative and legend
        assert marker.label in (first.text or "")
    shown = texts(svg)
    assert "threshold 200 ms" in shown and "percentile of samples" in shown
    assert "latency (ms)" in shown


def test_the_numbers_come_from_the_figure_not_from_strings(sample: Result) -> None:
    c = control(sample, "CR-1-LATENCY")
    assert isinstance(c.figure, Distribution)
    moved = c.figure.model_copy(update={"markers": [
        Marker(kind="threshold", label="threshold", value=123.0)]})
    svg = str(chart(c.model_copy(update={"figure": moved, "required": {}})))
    assert "threshold 123 ms" in svg and "threshold 200 ms" not in svg


def test_same_numbers_same_bytes_and_ids_unique_per_chart(sample: Result) -> None:
    a, b = control(sample, "CR-1-LATENCY"), control(sample, "PF-1-SYNC")
    assert str(chart(a)) == str(chart(a))
    ids_a = set(re.findall(r'id="([^"]+)"', str(chart(a))))
    ids_b = set(re.findall(r'id="([^"]+)"', str(chart(b))))
    assert ids_a and ids_b and not ids_a & ids_b
    for ref in re.findall(r'(?:href="#|url\(#)([^")]+)', str(chart(a))):
        assert ref in ids_a


def test_no_chart_without_a_figure(sample: Result) -> None:
    assert chart(control(sample, "US-3-MONITORING-CRISIS")) is None
    assert chart(control(sample, "CR-5-988")) is None


def test_nines_spread_the_tail_and_cap_the_maximum() -> None:
    assert nines(0, 1000) == 0
    assert nines(90, 1000) == pytest.approx(1)
    assert nines(99.9, 1000) == pytest.approx(3)
    assert nines(100, 1000) == pytest.approx(-__import__("math").log10(0.0005))


def test_a_regression_draws_both_curves(sample: Result) -> None:
    points = [QuantilePoint(percent=p, value=v) for p, v in ((0, 1), (50, 10), (100, 40))]
    figure = Regression(stat="p95", unit="ms", baseline=30, current=36,
                        max_degradation_percent=10, baseline_count=100, current_count=120,
                        baseline_points=points, current_points=points)
    c = control(sample, "PF-1-SYNC").model_copy(update={"figure": figure})
    svg = ET.fromstring(str(chart(c)))
    shown = texts(svg)
    assert "p95 baseline 30 ms" in shown and "p95 current 36 ms" in shown
    assert "limit 33 ms (10% worse)" in shown
    assert "at most 10% worse" in (svg[0].text or "")


def test_history_marks_each_decision_per_gate() -> None:
    assert history_chart((), []) is None
    points = (HistoryPoint("2025-09-20T10:00:00Z", "beta", "NO-GO", "1.4.2"),
              HistoryPoint("2025-09-28T10:00:00Z", "beta", "GO", "1.4.3", current=True))
    svg = ET.fromstring(str(history_chart(points, ["beta", "staging"])))
    assert "beta NO-GO at 2025-09-20T10:00:00Z" in (svg[0].text or "")
    assert "beta" in texts(svg) and "staging" in texts(svg)


def test_a_histogram_is_drawn_as_its_bucket_boundaries(sample: Result) -> None:
    points = [QuantilePoint(percent=p, value=v) for p, v in ((30, 50), (68.5, 100), (96, 250))]
    figure = Distribution(unit="ms", count=2000, basis="buckets", points=points,
                          markers=[Marker(kind="limit", label="limit p99 <=", value=500)])
    c = control(sample, "CR-1-LATENCY").model_copy(update={"figure": figure})
    svg = ET.fromstring(str(chart(c)))
    assert "histogram of 2000 events" in (svg[0].text or "")
    assert "3 bucket boundaries" in (svg[0].text or "")
    shown = texts(svg)
    assert "percentile of events" in shown and "2000 events (bucket boundaries)" in shown
