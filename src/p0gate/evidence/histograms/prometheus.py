"""Prometheus histogram buckets: the HTTP API's JSON and the text/OpenMetrics exposition.

The ``*_bucket`` series of one histogram (one label set besides ``le``) become cumulative
counts at inclusive cuts. Refused: a missing ``+Inf`` bucket, counts that are not whole,
negative or not cumulative, a ``_count`` that differs from ``+Inf``, several label sets (which
to merge would be a guess), a bound given twice in two spellings, bucket series over
different time ranges, a ``_sum`` the buckets cannot hold (``model``), conflicting units.
In the API's JSON, a raw ``*_bucket`` counter over a range (a matrix) counts the events
between its first and last point (a counter reset in between is refused); a series without
a metric name (the result of ``increase()`` or ``sum()``) must hold one point.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise

from p0gate.evidence.histograms.model import INF, Cut, Histogram, HistogramError, build, to_ms
from p0gate.evidence.histograms.source import (
    bad,
    bound_value,
    count_value,
    pick,
    resolve_unit,
    unit_of_metric,
    unit_word,
)

Labels = tuple[tuple[str, str], ...]


@dataclass
class Series:
    """One histogram's buckets as read: bound text → count, plus _count and _sum."""

    buckets: dict[str, int] = field(default_factory=dict)
    count: int | None = None
    sum: float | None = None
    windows: set[tuple[str, str]] = field(default_factory=set)  # API JSON: each point range


@dataclass
class Collected:
    """Series by (metric base name, labels without le) and the units they declare."""

    series: dict[tuple[str, Labels], Series] = field(default_factory=dict)
    units: set[str] = field(default_factory=set)

    def at(self, metric: str, labels: dict[str, str]) -> Series:
        key = (metric, tuple(sorted((k, v) for k, v in labels.items()
                                    if k not in {"le", "__name__"})))
        unit = unit_of_metric(metric)
        if unit:
            self.units.add(unit)
        return self.series.setdefault(key, Series())


def parse_prometheus(data: bytes, name: str, *, unit: str | None = None,
                     metric: str | None = None) -> Histogram:
    """One histogram from Prometheus API JSON or text exposition (``metric`` picks one)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise bad(name, f"not valid UTF-8 at byte {exc.start}") from None
    found = _from_json(text, name) if text.lstrip().startswith("{") else _from_text(text, name)
    return assemble(found, name, unit, metric)


def assemble(found: Collected, name: str, unit: str | None, metric: str | None) -> Histogram:
    """The one histogram of ``found`` (or of ``metric``) with bounds in ms."""
    chosen_name = pick((k[0] for k in found.series), metric, "metric", name)
    keys = [k for k in found.series if metric is None or k[0] == chosen_name]
    if not keys:
        raise bad(name, "no histogram buckets" + (f" of {metric!r}" if metric else ""))
    if len(keys) > 1:
        shown = "; ".join(f"{m}{{{','.join(f'{k}={v}' for k, v in labels)}}}"
                          for m, labels in keys[:5])
        raise bad(name, f"{len(keys)} histograms ({shown}): merging them would be a guess",
                  hint="export one series (e.g. sum by (le) (...)) or name the metric")
    chosen = found.series[keys[0]]
    if not keys[0][0] and unit is None:
        raise bad(name, "the series have no metric name, so their unit is unknown",
                  hint="set the artifact's `unit` (ns, us, ms or s)")
    declared = {u for u in (unit_of_metric(keys[0][0]),) if u} or found.units
    return _histogram(chosen, name, resolve_unit(name, unit, declared))


def _histogram(series: Series, name: str, unit: str) -> Histogram:
    if not series.buckets:
        raise bad(name, "a _count or _sum without _bucket series")
    if len(series.windows) > 1:
        shown = ", ".join(f"{a}..{b}" for a, b in sorted(series.windows)[:3])
        raise bad(name, f"the bucket series cover different time ranges ({shown}): their "
                  "counts are not of the same events", hint="query every bucket over one range")
    bounds: dict[Decimal, int] = {}
    for le, n in series.buckets.items():
        at = bound_value(name, le, f"bucket le={le!r}")
        if at in bounds:
            raise bad(name, f"bucket le={le!r} is a bound given twice (spelled differently): "
                      "which count holds is a guess")
        bounds[at] = n
    if INF not in bounds:
        raise bad(name, "no le=\"+Inf\" bucket: the total count is unknown")
    total = bounds[INF]
    if series.count is not None and series.count != total:
        raise bad(name, f"_count {series.count} differs from the +Inf bucket {total}")
    cuts = ((Cut(to_ms(b, unit), True), n) for b, n in bounds.items())
    sum_ms = None if series.sum is None else float(to_ms(Decimal(repr(series.sum)), unit))
    try:
        return build(cuts, total, sum_ms=sum_ms, source="prometheus")
    except HistogramError as exc:
        raise bad(name, str(exc)) from None


def _from_text(text: str, name: str) -> Collected:
    """Text exposition: OpenMetrics when it ends with ``# EOF``, else Prometheus' format."""
    from prometheus_client.openmetrics.parser import (
        text_string_to_metric_families as openmetrics,
    )
    from prometheus_client.parser import text_string_to_metric_families as prometheus

    parse = openmetrics if text.rstrip().endswith("# EOF") else prometheus
    found = Collected()
    try:
        for family in parse(text):
            if family.type == "histogram":
                _family(found, family.name, family.unit, family.samples, name)
    except ValueError as exc:
        raise bad(name, f"not valid Prometheus/OpenMetrics text: {exc}") from None
    return found


def _family(found: Collected, metric: str, unit: str, samples: Iterable[object],
            name: str) -> None:
    if unit:
        word = unit_word(unit)
        if word is None:
            raise bad(name, f"histogram {metric!r} has unit {unit!r}, not a time unit")
        found.units.add(word)
    for sample in samples:
        sname, labels, value = sample.name, sample.labels, sample.value  # type: ignore[attr-defined]
        _add(found, metric, sname, labels, value, name)


def _add(found: Collected, metric: str, sname: str, labels: dict[str, str], value: object,
         name: str) -> None:
    """One sample into its series: a bucket, the _count or the _sum (others are ignored)."""
    where = f"{sname}{{{','.join(f'{k}={v!r}' for k, v in sorted(labels.items()))}}}"
    series = found.at(metric, labels)
    if sname == f"{metric}_bucket":
        if "le" not in labels:
            raise bad(name, f"{where}: a bucket without an le label")
        if labels["le"] in series.buckets:
            raise bad(name, f"{where}: bucket le={labels['le']} given twice")
        series.buckets[labels["le"]] = count_value(name, value, where)
    elif sname == f"{metric}_count":
        series.count = count_value(name, value, where)
    elif sname == f"{metric}_sum":
        series.sum = float(value)  # type: ignore[arg-type]


def _from_json(text: str, name: str) -> Collected:
    """The HTTP API's response to /api/v1/query or /api/v1/query_range."""
    try:
        doc = json.loads(text, parse_constant=_refuse)
    except (json.JSONDecodeError, ValueError, RecursionError) as exc:
        raise bad(name, f"not valid JSON: {exc}") from None
    if not isinstance(doc, dict) or doc.get("status") != "success":
        raise bad(name, "not a successful Prometheus API response (status != success)")
    data = doc.get("data")
    if not isinstance(data, dict) or data.get("resultType") not in {"vector", "matrix"}:
        raise bad(name, "data.resultType must be vector or matrix")
    found = Collected()
    for i, item in enumerate(data.get("result") or []):
        _json_series(found, item, f"data.result[{i}]", name)
    return found


def _refuse(constant: str) -> float:
    raise ValueError(f"{constant} is not a number JSON allows")


def _json_series(found: Collected, item: object, where: str, name: str) -> None:
    if not isinstance(item, dict) or not isinstance(item.get("metric"), dict):
        raise bad(name, f"{where}: a result without a metric object")
    labels: dict[str, str] = {str(k): str(v) for k, v in item["metric"].items()}
    full = labels.get("__name__")
    if "le" not in labels:
        raise bad(name, f"{where}: a series without an le label is not a histogram bucket")
    metric = full.removesuffix("_bucket") if full else ""
    value = _point_count(item, where, name, raw_counter=bool(full and full.endswith("_bucket")))
    _add(found, metric, f"{metric}_bucket", labels, value, name)
    found.at(metric, labels).windows.add(_window(item))


def _window(item: dict[str, object]) -> tuple[str, str]:
    """The first and last timestamps of a series' points (checked by ``_point_count``)."""
    points = [item["value"]] if "value" in item else item["values"]
    first, last = points[0], points[-1]  # type: ignore[index]
    return str(first[0]), str(last[0])


def _point_count(item: dict[str, object], where: str, name: str, *, raw_counter: bool) -> int:
    """The events of one series: its value, or a raw counter's growth over the range."""
    if "value" in item:
        return count_value(name, _pair(item["value"], where, name), where)
    values = item.get("values")
    if not isinstance(values, list) or not values:
        raise bad(name, f"{where}: neither value nor values")
    counts = [count_value(name, _pair(v, where, name), where) for v in values]
    if len(counts) == 1:
        return counts[0]
    if not raw_counter:
        raise bad(name, f"{where}: {len(counts)} points of a computed series: whether they "
                  "add up is a guess", hint="use one instant query over the whole range")
    if any(b < a for a, b in pairwise(counts)):
        raise bad(name, f"{where}: the counter went down (a reset) inside the range")
    return counts[-1] - counts[0]


def _pair(point: object, where: str, name: str) -> object:
    if not isinstance(point, list) or len(point) != 2:
        raise bad(name, f"{where}: a point must be [timestamp, \"value\"]")
    return point[1]
