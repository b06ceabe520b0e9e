"""Exact answers a query engine computed (``p0gate collect`` from SQL), as a histogram.

The file is p0gate's JSON (written by ``p0gate.collect.sql``):

    {"format": "p0gate-exact-answers/1", "unit": "ms", "count": N, "sum": S, "min": …,
     "max": …,
     "thresholds": [{"at": "200.0", "below": B, "at_most": A}, ...],
     "ranks": [{"stat": "p99.9", "rank": R, "value": V}, ...],
     "provenance": {...}}

Each threshold gives two exact cuts (``< at`` and ``<= at``) and each rank an exact value,
so every decision the pack asked for is exact; anything else falls between cuts and is
reported as undecided, as for any histogram.
"""

from __future__ import annotations

import json
from decimal import Decimal

from p0gate.evidence.histograms.model import Cut, Histogram, HistogramError, build, rank, to_ms
from p0gate.evidence.histograms.source import bad, bound_value, count_value, resolve_unit

FORMAT = "p0gate-exact-answers/1"


def parse_answers(data: bytes, name: str, *, unit: str | None = None) -> Histogram:
    """The answers as a histogram with exact cuts and exact rank values, in ms."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise bad(name, f"not valid JSON: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise bad(name, f"not a {FORMAT} document")
    chosen = resolve_unit(name, unit, {doc["unit"]} if isinstance(doc.get("unit"), str) else set())
    total = count_value(name, doc.get("count"), "count")
    cuts = [pair for item in _list(doc, "thresholds", name) for pair in _cuts(item, chosen, name)]
    points = [_point(item, total, chosen, name) for item in _list(doc, "ranks", name)]
    points += [(r, to_ms(Decimal(repr(float(v))), chosen))
               for r, v in ((1, doc.get("min")), (total, doc.get("max")))
               if total and isinstance(v, int | float)]
    summed = doc.get("sum")
    sum_ms = float(to_ms(Decimal(repr(float(summed))), chosen)) \
        if isinstance(summed, int | float) and total else None
    try:
        return build(cuts, total, sum_ms=sum_ms, points=points, source="answers")
    except HistogramError as exc:
        raise bad(name, str(exc)) from None


def _list(doc: dict[str, object], key: str, name: str) -> list[dict[str, object]]:
    items = doc.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise bad(name, f"{key} must be a list of objects")
    return items


def _cuts(item: dict[str, object], unit: str, name: str) -> list[tuple[Cut, int]]:
    at = to_ms(bound_value(name, str(item.get("at")), "threshold"), unit)
    below = count_value(name, item.get("below"), f"threshold {item.get('at')}")
    at_most = count_value(name, item.get("at_most"), f"threshold {item.get('at')}")
    return [(Cut(at, False), below), (Cut(at, True), at_most)]


def _point(item: dict[str, object], total: int, unit: str, name: str) -> tuple[int, Decimal]:
    stat, value = str(item.get("stat")), item.get("value")
    expected = rank(stat, total) if total else 0
    if item.get("rank") != expected or not isinstance(value, int | float):
        raise bad(name, f"rank of {stat} must be {expected} with a numeric value")
    return expected, to_ms(Decimal(repr(float(value))), unit)
