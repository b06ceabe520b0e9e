"""load-summary: Locust ``*_stats.csv`` or k6 ``--summary-export`` JSON.

Both tools report a few percentiles of their own; p0gate keeps exactly those (in ms) and never
interpolates others: asking for a percentile the tool did not report gives ``None``, which a
check turns into ``inconclusive``. The whole run is the endpoint ``Aggregated`` (Locust's row
of that name, k6's untagged ``http_req_duration``); named endpoints are Locust's other rows
and k6's ``http_req_duration{name:…}`` sub-metrics. One name may have several rows (Locust's
``GET`` and ``POST`` of one endpoint, k6 sub-metrics tagged ``{name:x,method:POST}``): the
name keeps them all, and a check judges each (``GET crisis`` names one row).

Times must be finite and not negative, counts whole numbers: anything else is invalid.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import TYPE_CHECKING, ClassVar

from p0gate.evidence.reader import fail, json_document, suffix, text

if TYPE_CHECKING:
    from p0gate.evidence.bundle import Blob
    from p0gate.yamlio import Json

AGGREGATED = "Aggregated"
_LOCUST_NEEDED = (
    "Type",
    "Name",
    "Request Count",
    "Failure Count",
    "Average Response Time",
    "Min Response Time",
    "Max Response Time",
)
_K6_SUBMETRIC = re.compile(r"^http_req_duration\{(.+)\}$")


@dataclass(frozen=True)
class EndpointStats:
    """What the tool reported for one endpoint (times in ms; None when not reported)."""

    name: str
    label: str  # the row as the tool names it: "GET crisis", "http_req_duration{name:crisis}"
    requests: int | None
    failures: int | None
    mean: float | None
    min: float | None
    max: float | None
    percentiles: tuple[tuple[Decimal, float], ...]

    def stat(self, stat: str) -> float | None:
        """count, min, max, mean or a reported pNN; None when the tool did not report it."""
        if stat == "count":
            return None if self.requests is None else float(self.requests)
        if stat in {"min", "max", "mean"}:
            value: float | None = getattr(self, stat)
            return value
        wanted = Decimal(stat[1:])
        found = next((v for p, v in self.percentiles if p == wanted), None)
        return self.max if found is None and wanted == 100 else found

    @property
    def reported(self) -> str:
        return ", ".join(f"p{p}" for p, _ in self.percentiles) or "none"


@dataclass(frozen=True)
class LoadSummary:
    tool: str
    endpoints: dict[str, tuple[EndpointStats, ...]]

    def endpoint(self, name: str | None) -> tuple[EndpointStats, ...]:
        """Every row the tool reported under this name (empty when none)."""
        return self.endpoints.get(name or AGGREGATED, ())


def _add(endpoints: dict[str, tuple[EndpointStats, ...]], key: str, row: EndpointStats) -> None:
    endpoints[key] = (*endpoints.get(key, ()), row)


class LoadSummaryReader:
    kind: ClassVar[str] = "load-summary"
    formats: ClassVar[str] = "Locust *_stats.csv, k6 --summary-export JSON"

    def read(self, blob: Blob) -> LoadSummary:
        ext = suffix(blob)
        if ext == ".csv":
            return _locust(blob)
        if ext == ".json":
            return _k6(blob)
        raise fail(
            blob, "a load summary is a Locust *_stats.csv or a k6 --summary-export .json file"
        )


def _locust(blob: Blob) -> LoadSummary:
    try:
        reader = csv.DictReader(io.StringIO(text(blob), newline=""))
        rows = list(reader)
    except csv.Error as exc:
        raise fail(blob, f"not a readable CSV file: {exc}") from None
    header = list(reader.fieldnames or []) if rows else []
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        raise fail(blob, f"the column {repeated[0]!r} is given twice: which one holds is a guess")
    missing = [c for c in _LOCUST_NEEDED if c not in header]
    if missing:
        raise fail(
            blob,
            f"not a Locust *_stats.csv: missing columns {missing}",
            hint="give the file written by `locust --csv PREFIX` named PREFIX_stats.csv",
        )
    endpoints: dict[str, tuple[EndpointStats, ...]] = {}
    for line, row in enumerate(rows, start=2):
        stats = _locust_row(blob, row, line)
        if stats.label != stats.name:
            _add(endpoints, stats.label, stats)
        _add(endpoints, stats.name, stats)
    if AGGREGATED not in endpoints:
        raise fail(
            blob,
            "no Aggregated row: a Locust *_stats.csv ends with the run's Aggregated row",
            hint="is this a *_stats_history.csv or a cut file?",
        )
    return LoadSummary("locust", endpoints)


def _locust_row(blob: Blob, row: dict[str, str], line: int) -> EndpointStats:
    if None in row or None in row.values():
        raise fail(blob, f"line {line}: the row has more or fewer cells than the header")

    def number(column: str) -> float | None:
        raw = (row.get(column) or "").strip()
        if raw in {"", "N/A"}:
            return None
        try:
            value = float(raw)
        except ValueError:
            raise fail(blob, f"line {line}, column {column!r}: {raw[:40]!r} is not a number") \
                from None
        return _measured(blob, value, f"line {line}, column {column!r}")

    for column in row:  # every other number Locust writes must be possible too
        if column not in {"Type", "Name"}:
            number(column)
    percentiles = []
    for column in row:
        if column and column.endswith("%") and (value := number(column)) is not None:
            percentiles.append((_decimal(blob, column[:-1], line), value))
    requests, failures = number("Request Count"), number("Failure Count")
    kind = (row["Type"] or "").strip()
    return EndpointStats(
        row["Name"],
        f"{kind} {row['Name']}" if kind else row["Name"],
        _count(blob, requests, f"line {line}, Request Count"),
        _count(blob, failures, f"line {line}, Failure Count"),
        number("Average Response Time"),
        number("Min Response Time"),
        number("Max Response Time"),
        _percentiles(blob, percentiles, f"line {line}"),
    )


def _measured(blob: Blob, value: float, where: str) -> float:
    """A time or count as a tool reports it: finite and not negative."""
    if not math.isfinite(value) or value < 0:
        raise fail(blob, f"{where}: {value} is not a time or count (negative or not finite)")
    return value


def _count(blob: Blob, value: float | None, where: str) -> int | None:
    if value is None:
        return None
    if not value.is_integer() or value > 2**53:
        raise fail(blob, f"{where}: {value} is not a whole number of requests")
    return int(value)


def _decimal(blob: Blob, raw: str, line: int) -> Decimal:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or not 0 <= value <= 100:
        raise fail(blob, f"line {line}: percentile column {raw[:40]!r}% is not a percentile")
    return value


def _k6(blob: Blob) -> LoadSummary:
    doc = json_document(blob)
    metrics = doc.get("metrics") if isinstance(doc, dict) else None
    if not isinstance(metrics, dict) or not isinstance(metrics.get("http_req_duration"), dict):
        raise fail(
            blob,
            "not a k6 summary export: no metrics.http_req_duration",
            hint="write it with `k6 run --summary-export FILE.json`",
        )
    endpoints: dict[str, tuple[EndpointStats, ...]] = {}
    _add(endpoints, AGGREGATED, _k6_trend(blob, AGGREGATED, metrics, ""))
    for key in metrics:
        match = _K6_SUBMETRIC.match(key)
        name = _k6_name(match.group(1)) if match else None
        if match and name is not None:
            stats = _k6_trend(blob, name, metrics, "{" + match.group(1) + "}")
            _add(endpoints, name, stats)
            if stats.label != name:
                _add(endpoints, stats.label, stats)
    return LoadSummary("k6", endpoints)


def _k6_name(tags: str) -> str | None:
    """The ``name`` tag of a sub-metric selector such as ``name:crisis,method:POST``."""
    pairs = [part.split(":", 1) for part in tags.split(",")]
    if all(len(pair) == 2 for pair in pairs):
        names = [value for key, value in pairs if key.strip() == "name"]
        return names[0] if len(names) == 1 else None
    return tags[5:] if tags.startswith("name:") else None


def _k6_trend(blob: Blob, name: str, metrics: dict[str, Json], tag: str) -> EndpointStats:
    trend = metrics[f"http_req_duration{tag}"]
    if not isinstance(trend, dict):
        raise fail(blob, f"metrics.http_req_duration{tag} must be an object of statistics")
    values: dict[str, float] = {}
    percentiles = []
    for key, raw in trend.items():
        if key == "thresholds":
            continue
        where = f"metrics.http_req_duration{tag}.{key}"
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise fail(blob, f"{where}: {str(raw)[:40]!r} is not a number")
        try:
            value = _measured(blob, float(raw), where)
        except OverflowError:
            raise fail(blob, f"{where}: the number is too large") from None
        values[key] = value
        match = re.fullmatch(r"p\((\d+(?:\.\d+)?)\)", key)
        if match:
            percentiles.append((Decimal(match.group(1)), value))
        elif key == "med":
            percentiles.append((Decimal(50), value))
    requests = _k6_field(blob, metrics, f"http_reqs{tag}", "count")
    failures = _k6_field(blob, metrics, f"http_req_failed{tag}", "passes")  # failed requests
    return EndpointStats(
        name,
        f"http_req_duration{tag}" if tag else AGGREGATED,
        requests,
        failures,
        values.get("avg"),
        values.get("min"),
        values.get("max"),
        _percentiles(blob, percentiles, f"metrics.http_req_duration{tag}"),
    )


def _percentiles(blob: Blob, found: list[tuple[Decimal, float]],
                 where: str) -> tuple[tuple[Decimal, float], ...]:
    """Sorted; one percentile reported twice (``p(99)`` and ``p(99.0)``) is ambiguous."""
    ordered = sorted(found)
    for (p, _), (q, _) in pairwise(ordered):
        if p == q:
            raise fail(blob, f"{where}: the percentile p{p} is reported twice")
    return tuple(ordered)


def _k6_field(blob: Blob, metrics: dict[str, Json], metric: str, field: str) -> int | None:
    found = metrics.get(metric)
    value = found.get(field) if isinstance(found, dict) else None
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2**53:
        raise fail(blob, f"metrics.{metric}.{field}: {str(value)[:40]!r} is not a count")
    return value
