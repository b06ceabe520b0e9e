"""Fetch from Prometheus' HTTP API: histogram buckets over a range, instant queries.

Buckets: one ``query_range`` of the raw ``<metric>_bucket`` counters with the step equal to
the range, so each series has its value at ``--from`` and at ``--to``; the artifact's reader
counts the growth between them (a counter reset is refused). Integer counts, no
extrapolation (``increase()`` would return fractions). Metrics: one instant query per dotted
path at ``--to``, with ``$__range`` replaced by the range in seconds; each must return exactly
one series.
"""

from __future__ import annotations

import json
import math
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from typing import Any

from p0gate.errors import EvidenceError

TIMEOUT_S = 30


def get_json(base: str, path: str, params: dict[str, str]) -> dict[str, Any]:
    """GET an API path; a successful response's JSON, or an error naming the query."""
    url = f"{base.rstrip('/')}{path}?{urllib.parse.urlencode(sorted(params.items()))}"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
            doc = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise EvidenceError(f"Prometheus {base}: {path} failed: {exc}") from None
    if not isinstance(doc, dict) or doc.get("status") != "success":
        raise EvidenceError(f"Prometheus {base}: {path} answered {str(doc)[:200]}")
    return doc


def version(base: str) -> str:
    info = get_json(base, "/api/v1/status/buildinfo", {})
    return f"prometheus {info.get('data', {}).get('version', 'unknown')}"


def _seconds(start: datetime, end: datetime) -> int:
    span = int((end - start).total_seconds())
    if span <= 0:
        raise EvidenceError(f"the range {start.isoformat()}..{end.isoformat()} is empty")
    return span


def fetch_histogram(base: str, metric: str, selector: str, start: datetime,
                    end: datetime) -> dict[str, Any]:
    """The bucket counters at both ends of the range, with provenance."""
    query = f"{metric}_bucket{selector}"
    span = _seconds(start, end)
    params = {"query": query, "start": str(int(start.timestamp())),
              "end": str(int(end.timestamp())), "step": f"{span}s"}
    doc = get_json(base, "/api/v1/query_range", params)
    doc["provenance"] = {"source": base, "engine": version(base), "api": "/api/v1/query_range",
                         "query": query, "params": params, "from": _iso(start), "to": _iso(end),
                         "series": len(doc.get("data", {}).get("result", []))}
    return doc


def fetch_metrics(base: str, promql: dict[str, str], start: datetime,
                  end: datetime) -> dict[str, Any]:
    """A metrics document: each dotted path's value, and every query with its answer."""
    span = _seconds(start, end)
    values: dict[str, Any] = {}
    asked: dict[str, Any] = {}
    for path, template in sorted(promql.items()):
        query = template.replace("$__range", f"{span}s")
        params = {"query": query, "time": str(int(end.timestamp()))}
        data = get_json(base, "/api/v1/query", params)["data"]
        asked[path] = {"query": query, "params": params, "result": data}
        _put(values, path, _scalar(data, path, query))
    values["provenance"] = {"source": base, "engine": version(base), "api": "/api/v1/query",
                            "from": _iso(start), "to": _iso(end), "queries": asked}
    return values


def _scalar(data: dict[str, Any], path: str, query: str) -> float:
    """The one value of an instant query: a scalar or a vector of one series, finite."""
    result = data.get("result")
    if data.get("resultType") == "scalar" and isinstance(result, list):
        value = float(result[1])
    elif not isinstance(result, list) or len(result) != 1:
        count = len(result) if isinstance(result, list) else "no"
        raise EvidenceError(f"{path}: {query!r} returned {count} series; exactly one is "
                            "needed", hint="aggregate it, e.g. sum(...)")
    else:
        value = float(result[0]["value"][1])
    if not math.isfinite(value):  # NaN (0/0) or ±Inf (x/0) when nothing was counted
        raise EvidenceError(f"{path}: {query!r} is {value}, not a finite number (no data "
                            "in the range?)")
    return value


def _put(doc: dict[str, Any], dotted: str, value: float) -> None:
    *parents, last = dotted.split(".")
    for key in parents:
        doc = doc.setdefault(key, {})
    doc[last] = value


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
