"""OpenTelemetry histograms in OTLP JSON: exponential and explicit-bounds.

The document is a ``MetricsData`` (or an ``ExportMetricsServiceRequest``; the collector's
file exporter writes one per line), parsed by ``opentelemetry-proto`` with protobuf's
``json_format``. One histogram metric is read (``metric`` names it when there are several).
Its data points must be one, or DELTA points of one attribute set and one bucket layout,
which add up; CUMULATIVE points overlap in time, so several of them are refused.

Exponential buckets: index ``i`` holds values in ``(base^i, base^(i+1)]`` with
``base = 2^(2^-scale)``; the zero bucket holds ``[0, zero_threshold]``. Bounds are exact for
``scale <= 0`` (powers of two); for ``scale > 0`` they are the nearest floats (as the SDKs
compute them). Negative buckets with events are refused: latencies are never negative.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from p0gate.evidence.histograms.model import INF, Cut, Histogram, HistogramError, build, to_ms
from p0gate.evidence.histograms.source import bad, resolve_unit, unit_word

if TYPE_CHECKING:
    from opentelemetry.proto.metrics.v1.metrics_pb2 import (
        ExponentialHistogramDataPoint,
        HistogramDataPoint,
        Metric,
    )

    Point = ExponentialHistogramDataPoint | HistogramDataPoint

DELTA = 1


def parse_otlp(data: bytes, name: str, *, unit: str | None = None,
               metric: str | None = None) -> Histogram:
    """The one histogram of an OTLP JSON document, bounds in ms."""
    metrics = [m for m in _metrics(data, name) if metric is None or m.name == metric]
    kinds = [m for m in metrics if m.WhichOneof("data") in {"histogram", "exponential_histogram"}]
    if not kinds:
        raise bad(name, "no histogram metric" + (f" named {metric!r}" if metric else ""))
    names = sorted({m.name for m in kinds})
    if len(names) > 1:
        raise bad(name, f"several histogram metrics {names}: merging them would be a guess",
                  hint="name the metric to read")
    declared = {u for m in kinds if m.unit for u in [unit_word(m.unit)]}
    if any(m.unit and unit_word(m.unit) is None for m in kinds):
        raise bad(name, f"metric {names[0]!r} has unit {kinds[0].unit!r}, not a time unit")
    chosen = resolve_unit(name, unit, {u for u in declared if u})
    points = [p for m in kinds for p in _points(m, name)]
    try:
        return _to_histogram(points, name, chosen)
    except HistogramError as exc:
        raise bad(name, str(exc)) from None


def _metrics(data: bytes, name: str) -> Iterator[Metric]:
    from google.protobuf import json_format
    from opentelemetry.proto.metrics.v1.metrics_pb2 import MetricsData

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise bad(name, f"not valid UTF-8 at byte {exc.start}") from None
    for number, doc in _documents(text):
        message = MetricsData()
        try:
            json_format.Parse(doc, message)
        except (json_format.ParseError, ValueError, RecursionError) as exc:
            where = f"line {number}: " if number else ""
            raise bad(name, f"{where}not OTLP JSON metrics: {exc}") from None
        for resource in message.resource_metrics:
            for scope in resource.scope_metrics:
                yield from scope.metrics


def _documents(text: str) -> list[tuple[int, str]]:
    """One JSON document, or JSON Lines (one document per line, numbered)."""
    import json

    try:
        json.loads(text)
    except ValueError:
        lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
        if len(lines) > 1:
            return lines
    return [(0, text)]


def _points(m: Metric, name: str) -> list[Point]:
    body = m.exponential_histogram if m.HasField("exponential_histogram") else m.histogram
    points = list(body.data_points)
    if len(points) > 1 and body.aggregation_temporality != DELTA:
        raise bad(name, f"metric {m.name!r} has {len(points)} cumulative data points: they "
                  "overlap in time", hint="export one data point (the window's)")
    if len({_layout(p) for p in points}) > 1:
        raise bad(name, f"metric {m.name!r}: data points of different attributes or bucket "
                  "layouts: merging them would be a guess")
    return points


def _layout(p: Point) -> tuple[object, ...]:
    attrs = tuple(sorted((a.key, str(a.value).strip()) for a in p.attributes))
    shape = ((p.scale, p.zero_threshold) if hasattr(p, "scale")
             else tuple(p.explicit_bounds))
    return (type(p).__name__, attrs, shape)


def _to_histogram(points: list[Point], name: str, unit: str) -> Histogram:
    """Add up the points: one bucket grid (checked above), so each point's cumulative
    count at a cut it lacks is its count at its nearest cut below."""
    parts = [_exponential(p, name, unit) if hasattr(p, "scale") else _explicit(p, name, unit)
             for p in points]
    grid = sorted(set().union(*parts))
    steps = [(sorted(part), part) for part in parts]
    counts = {cut: sum(_step(order, part, cut) for order, part in steps) for cut in grid}
    sums = [p.sum for p in points if p.HasField("sum")]
    sum_ms = (float(to_ms(Decimal(repr(math.fsum(sums))), unit))
              if points and len(sums) == len(points) else None)
    return build(counts.items(), sum(p.count for p in points), sum_ms=sum_ms,
                 source="otlp")


def _step(order: list[Cut], part: dict[Cut, int], cut: Cut) -> int:
    i = bisect_right(order, cut)
    return part[order[i - 1]] if i else 0


def _explicit(p: HistogramDataPoint, name: str, unit: str) -> dict[Cut, int]:
    if len(p.bucket_counts) != len(p.explicit_bounds) + 1:
        raise bad(name, f"{len(p.bucket_counts)} bucket counts for "
                  f"{len(p.explicit_bounds)} explicit bounds (need one more)")
    bounds = [Decimal(repr(b)) for b in p.explicit_bounds] + [INF]
    if any(math.isnan(b) for b in p.explicit_bounds):
        raise bad(name, "an explicit bound is NaN")
    running, cuts = 0, {}
    for bound, n in zip(bounds, p.bucket_counts, strict=True):
        running += n
        cuts[Cut(to_ms(bound, unit), True)] = running
    _same_count(running, p.count, name)
    return cuts


def _exponential(p: ExponentialHistogramDataPoint, name: str, unit: str) -> dict[Cut, int]:
    if any(p.negative.bucket_counts):
        raise bad(name, f"{sum(p.negative.bucket_counts)} events in negative buckets: "
                  "latencies are never negative")
    zero = to_ms(Decimal(repr(p.zero_threshold)), unit)
    running = p.zero_count
    cuts = {Cut(zero, True): running}
    for k, n in enumerate(p.positive.bucket_counts):
        index = p.positive.offset + k
        lower = to_ms(_power(index, p.scale), unit)
        if lower > zero:
            cuts.setdefault(Cut(lower, True), running)
        running += n
        cuts[Cut(to_ms(_power(index + 1, p.scale), unit), True)] = running
    _same_count(running, p.count, name)
    return cuts


def _power(index: int, scale: int) -> Decimal:
    """base^index with base = 2^(2^-scale): exact for scale <= 0."""
    if scale <= 0:
        return Decimal(2) ** (index << -scale)
    whole, part = divmod(index, 1 << scale)
    return Decimal(math.ldexp(2 ** (part / (1 << scale)), whole))


def _same_count(buckets: int, count: int, name: str) -> None:
    if buckets != count:
        raise bad(name, f"buckets hold {buckets} events but the data point's count is {count}")
