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
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from p0gate.evidence.histograms.model import INF, Cut, Histogram, HistogramError, build, to_ms
from p0gate.evidence.histograms.source import bad, pick, resolve_unit, unit_word

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
    every = list(_metrics(data, name))
    wanted = pick((m.name for _, m in every), metric, "metric", name)
    found = [(r, m) for r, m in every if metric is None or m.name == wanted]
    chosen_ = [(r, m) for r, m in found
               if m.WhichOneof("data") in {"histogram", "exponential_histogram"}]
    kinds = [m for _, m in chosen_]
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
    points = _points(chosen_, name)
    try:
        return _to_histogram([p for _, p in points], name, chosen)
    except HistogramError as exc:
        raise bad(name, str(exc)) from None
    except ArithmeticError:  # decimal overflow: a bucket index far out of range
        raise bad(name, "bucket bounds too large to represent (a bucket offset out of "
                  "range)") from None


def _metrics(data: bytes, name: str) -> Iterator[tuple[str, Metric]]:
    """Every metric, with the resource and scope it was reported under (as text)."""
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
                origin = (*_attributes(resource.resource.attributes), scope.scope.name)
                yield from ((repr(origin), m) for m in scope.metrics)


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


def _points(metrics: list[tuple[str, Metric]], name: str) -> list[tuple[Metric, Point]]:
    """The data points to add up, over every metric entry of the name (JSON Lines of a
    collector's exports repeat it): one point, or DELTA points of one series and layout."""
    found = [(origin, m, p) for origin, m in metrics for p in _body(m).data_points]
    if len(found) > 1 and any(_body(m).aggregation_temporality != DELTA for _, m, _ in found):
        raise bad(name, f"metric {found[0][1].name!r} has {len(found)} data points, not all "
                  "DELTA: cumulative points overlap in time",
                  hint="export one data point (the window's)")
    if len({(origin, _layout(p)) for origin, _, p in found}) > 1:
        raise bad(name, f"metric {found[0][1].name!r}: data points of different resources, "
                  "attributes or bucket layouts: merging them would be a guess")
    return [(m, p) for _, m, p in found]


def _body(m: Metric) -> Any:
    """The metric's histogram or exponential histogram (they share the fields used here)."""
    return m.exponential_histogram if m.HasField("exponential_histogram") else m.histogram


def _attributes(attributes: object) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((a.key, str(a.value).strip()) for a in attributes))  # type: ignore[attr-defined]


def _layout(p: Point) -> tuple[object, ...]:
    attrs = _attributes(p.attributes)
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
    given = list(p.explicit_bounds)
    if not all(math.isfinite(b) for b in given) or any(b >= c for b, c in pairwise(given)):
        raise bad(name, f"explicit bounds {given[:8]} are not finite and strictly increasing")
    bounds = [Decimal(repr(b)) for b in given] + [INF]
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
    if not -10 <= p.scale <= 20 or not 0 <= p.zero_threshold < math.inf:
        raise bad(name, f"scale {p.scale} (OTLP allows -10..20) or zero threshold "
                  f"{p.zero_threshold} (finite, not negative) out of range")
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
