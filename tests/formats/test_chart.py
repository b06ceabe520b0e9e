from __future__ import annotations

import xml.etree.ElementTree as ET

from p0gate.formats.chart import chart, limit, statistics
from p0gate.result import ControlResult, Result

SVG = "{http://www.w3.org/2000/svg}"


def control(sample: Result, cid: str) -> ControlResult:
    return next(c for c in sample.controls if c.id == cid)


def test_exceedance_charts_its_percentile_against_the_threshold(sample: Result) -> None:
    c = control(sample, "CR-1-LATENCY")
    assert limit(c) == ("<", 200.0)
    svg = ET.fromstring(str(chart(c)))
    bars = svg.findall(f"{SVG}rect")
    assert len(bars) == len(statistics(c)) == 1
    assert bars[0].get("fill") == "#8a1c1c"  # p99.9 over the limit
    line = svg.find(f"{SVG}line")
    assert line is not None
    # bar width / limit x are proportional to value / threshold
    width, x = float(bars[0].get("width", 0)), float(line.get("x1", 0)) - 90
    assert abs(width / x - statistics(c)["p99.9"] / 200) < 0.01


def test_comparator_limits_and_passing_bars(sample: Result) -> None:
    c = control(sample, "CR-4-EMERGENCY-ACCESS")
    assert limit(c) == ("<", 3000.0)
    svg = ET.fromstring(str(chart(c)))
    assert {r.get("fill") for r in svg.findall(f"{SVG}rect")} == {"#1f5f99"}


def test_no_chart_without_numbers(sample: Result) -> None:
    assert chart(control(sample, "US-3-MONITORING-CRISIS")) is None
    assert chart(control(sample, "CR-5-988")) is None
