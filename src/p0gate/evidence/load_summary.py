"""load-summary: Locust ``*_stats.csv`` or k6 ``--summary-export`` JSON.

Both tools report a few percentiles of their own; p0gate keeps exactly those (in ms) and never
interpolates others: asking for a percentile the tool did not report gives ``None``, which a
check turns into ``inconclusive``. The whole run is the endpoint ``Aggregated`` (Locust's row
of that name, k6's untagged ``http_req_duration``); named endpoints are Locust's other rows
and k6's ``http_req_duration{name:…}`` sub-metrics.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
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
_K6_SUBMETRIC = re.compile(r"^http_req_duration\{name:(.+)\}$")


@dataclass(frozen=True)
class EndpointStats:
    """What the tool reported for one endpoint (times in ms; None when not reported)."""

    name: str
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
    endpoints: dict[str, EndpointStats]

    def endpoint(self, name: str | None) -> EndpointStats | None:
        return self.endpoints.get(name or AGGREGATED)


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
        rows = list(csv.DictReader(io.StringIO(text(blob), newline="")))
    except csv.Error as exc:
        raise fail(blob, f"not a readable CSV file: {exc}") from None
    header = list(rows[0]) if rows else []
    missing = [c for c in _LOCUST_NEEDED if c not in header]
    if missing:
        raise fail(
            blob,
            f"not a Locust *_stats.csv: missing columns {missing}",
            hint="give the file written by `locust --csv PREFIX` named PREFIX_stats.csv",
        )
    endpoints = {}
    for line, row in enumerate(rows, start=2):
        stats = _locust_row(blob, row, line)
        key = stats.name if row["Type"] in {"", None} else f"{row['Type']} {stats.name}"
        endpoints[key] = stats
        endpoints.setdefault(stats.name, stats)
    if AGGREGATED not in endpoints:
        raise fail(
            blob,
            "no Aggregated row: a Locust *_stats.csv ends with the run's Aggregated row",
            hint="is this a *_stats_history.csv or a cut file?",
        )
    return LoadSummary("locust", endpoints)


def _locust_row(blob: Blob, row: dict[str, str], line: int) -> EndpointStats:
    def number(column: str) -> float | None:
        raw = (row.get(column) or "").strip()
        if raw in {"", "N/A"}:
            return None
        try:
            return float(raw)
        except ValueError:
            raise fail(blob, f"line {line}, column {column!r}: {raw!r} is not a number") from None

    percentiles = []
    for column in row:
        if column and column.endswith("%") and (value := number(column)) is not None:
            percentiles.append((_decimal(blob, column[:-1], line), value))
    requests, failures = number("Request Count"), number("Failure Count")
    return EndpointStats(
        row["Name"],
        _int(requests),
        _int(failures),
        number("Average Response Time"),
        number("Min Response Time"),
        number("Max Response Time"),
        tuple(percentiles),
    )


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def _decimal(blob: Blob, raw: str, line: int) -> Decimal:
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise fail(blob, f"line {line}: percentile column {raw!r}% is not a number") from None


def _k6(blob: Blob) -> LoadSummary:
    doc = json_document(blob)
    metrics = doc.get("metrics") if isinstance(doc, dict) else None
    if not isinstance(metrics, dict) or not isinstance(metrics.get("http_req_duration"), dict):
        raise fail(
            blob,
            "not a k6 summary export: no metrics.http_req_duration",
            hint="write it with `k6 run --summary-export FILE.json`",
        )
    endpoints = {AGGREGATED: _k6_trend(blob, AGGREGATED, metrics, "")}
    for key in metrics:
        match = _K6_SUBMETRIC.match(key)
        if match:
            name = match.group(1)
            endpoints[name] = _k6_trend(blob, name, metrics, f"{{name:{name}}}")
    return LoadSummary("k6", endpoints)


def _k6_trend(blob: Blob, name: str, metrics: dict[str, Json], tag: str) -> EndpointStats:
    trend = metrics[f"http_req_duration{tag}"]
    assert isinstance(trend, dict)
    values: dict[str, float] = {}
    percentiles = []
    for key, raw in trend.items():
        if key == "thresholds":
            continue
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise fail(blob, f"metrics.http_req_duration{tag}.{key}: {raw!r} is not a number")
        values[key] = float(raw)
        match = re.fullmatch(r"p\((\d+(?:\.\d+)?)\)", key)
        if match:
            percentiles.append((Decimal(match.group(1)), float(raw)))
        elif key == "med":
            percentiles.append((Decimal(50), float(raw)))
    requests = _k6_field(metrics, f"http_reqs{tag}", "count")
    failures = _k6_field(metrics, f"http_req_failed{tag}", "passes")  # passes = failed reqs
    return EndpointStats(
        name,
        requests,
        failures,
        values.get("avg"),
        values.get("min"),
        values.get("max"),
        tuple(sorted(percentiles)),
    )


def _k6_field(metrics: dict[str, Json], metric: str, field: str) -> int | None:
    found = metrics.get(metric)
    value = found.get(field) if isinstance(found, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None
