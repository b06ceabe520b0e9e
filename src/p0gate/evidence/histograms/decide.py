"""Decisions on latency evidence: exact on samples and on a bucket boundary, decided when
the bucket holding the limit lies wholly on one side, otherwise undecided naming the
boundary to add. Samples, datasets and histograms are all a ``Distribution``; on samples
every count is exact, so every question is decided.

What the statistic, exceedance, alerts and regression checks need, as plain values:

- ``compare(d, stat, op, limit)``: ``count``/``min``/``max``/``mean``/``pNN`` against ``lt``,
  ``le``, ``gt``, ``ge``, ``eq``. A nearest-rank statistic is compared through counts:
  ``p99.9 < 200`` holds exactly when the events ``< 200`` are at least the rank.
- ``exceedance(h, threshold, max_rate, confidence)``: the share of events ``>= threshold``,
  with the one-sided Clopper–Pearson upper bound, judged at both ends of the count's bounds.
- ``alert_range(h, on, levels)`` and ``degradation(before, after, higher_is_better)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from p0gate.evidence.histograms.binomial import Bound, bound
from p0gate.evidence.histograms.model import (
    INF,
    Count,
    Cut,
    Distribution,
    HistogramError,
    ValueRange,
    exact,
    rank,
)

Op = Literal["lt", "le", "gt", "ge", "eq"]
Verdict = Literal["pass", "fail", "short"]  # short: the rate passes, its upper bound does not


@dataclass(frozen=True)
class Decision:
    """``holds`` is None when the bucket holding ``limit`` straddles it; then ``boundary``
    is the cut (``< limit`` or ``<= limit``, in ms) that, added to the histogram, decides it.
    A format whose buckets are ``<=`` (Prometheus, OTLP) cannot add a ``<`` cut: there
    ``lt``/``ge`` at a boundary are decided only by the neighbouring buckets, or by whole
    values (HdrHistogram)."""

    holds: bool | None
    value: ValueRange
    boundary: Cut | None = None


def _at_least(count: Count, r: int) -> bool | None:
    """Whether the count is at least ``r``, or None when its bounds straddle ``r``."""
    if count.low >= r:
        return True
    if count.high < r:
        return False
    return None


def _negate(value: bool | None) -> bool | None:
    return None if value is None else not value


def _both(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def value_of(d: Distribution, stat: str) -> ValueRange:
    """count, mean, min, max or a nearest-rank pNN: exactly, or the bucket range it is in."""
    if stat == "count":
        return ValueRange(Decimal(d.total), Decimal(d.total))
    if d.total == 0:
        raise HistogramError("no events: every statistic is undefined")
    if stat == "mean":
        return d.mean()
    return d.at_rank(rank(stat, d.total))


def compare(d: Distribution, stat: str, op: Op, limit: float) -> Decision:
    """Whether ``stat op limit`` holds (None: undecided)."""
    if d.total == 0:
        raise HistogramError("no events: every statistic is undefined")
    at = exact(limit)
    known = value_of(d, stat)
    if stat == "mean":
        return _compare_range(known, op, at)
    if known.exact:  # samples, or a rank a source computed exactly
        return Decision(_plain(known.low, op, at), known)
    r = rank(stat, d.total)
    below = d.count_below(at, inclusive=False)
    upto = d.count_below(at, inclusive=True)
    strict, loose = _at_least(below, r), _at_least(upto, r)
    holds = {"lt": strict, "le": loose, "gt": _negate(loose), "ge": _negate(strict),
             "eq": _both(_negate(strict), loose)}[op]
    needed = None
    if holds is None:
        needed = Cut(at, op not in {"lt", "ge"} and not (op == "eq" and strict is None))
    return Decision(holds, known, needed)


def _plain(value: Decimal, op: Op, at: Decimal) -> bool:
    return {"lt": value < at, "le": value <= at, "gt": value > at, "ge": value >= at,
            "eq": value == at}[op]


def _compare_range(value: ValueRange, op: Op, at: Decimal) -> Decision:
    """A comparator on a closed range of values (a mean from bucket bounds)."""
    low, high = _plain(value.low, op, at), _plain(value.high, op, at)
    holds: bool | None = low if low == high else None
    if op == "eq" and not value.exact:
        holds = None if value.low <= at <= value.high else False
    return Decision(holds, value, None)


def events_at_or_above(d: Distribution, threshold: float) -> Count:
    """Events ``>= threshold``: the total less the events below it."""
    below = d.count_below(exact(threshold), inclusive=False)
    return Count(d.total - below.high, d.total - below.low, below.before, below.after)


@dataclass(frozen=True)
class ExceedanceDecision:
    """The share of events ``>= threshold`` judged against ``max_rate``.

    ``verdict`` is None when the bucket holding the threshold could change the answer; then
    ``boundary`` is the cut to add (``< threshold``). ``upper`` holds the Clopper–Pearson
    bounds at the low and high counts (None without ``confidence``, or for a count whose
    rate already fails).
    """

    total: int
    bad: Count
    verdict: Verdict | None
    upper: tuple[Bound | None, Bound | None] | None
    boundary: Cut | None


def judge_rate(bad: int, n: int, max_rate: float,
               confidence: float | None) -> tuple[Verdict, Bound | None]:
    """pass / fail / short for an exact count (an exact rational rate comparison), with the
    upper bound that decided it."""
    if Fraction(bad, n) > Fraction(repr(max_rate)):
        return "fail", None
    if confidence is None:
        return "pass", None
    found = bound(bad, n, confidence, max_rate)
    return ("pass" if found.value <= max_rate else "short"), found


def exceedance(d: Distribution, threshold: float, max_rate: float,
               confidence: float | None = None) -> ExceedanceDecision:
    """At most ``max_rate`` of the events ``>= threshold``; decided at both count bounds."""
    if d.total == 0:
        raise HistogramError("no events: the exceedance rate is undefined")
    bad = events_at_or_above(d, threshold)
    low, low_bound = judge_rate(bad.low, d.total, max_rate, confidence)
    high, high_bound = judge_rate(bad.high, d.total, max_rate, confidence)
    upper = None if confidence is None else (low_bound, high_bound)
    decided = low if low == high else None
    return ExceedanceDecision(d.total, bad, decided, upper,
                              None if decided else Cut(exact(threshold), False))


@dataclass(frozen=True)
class AlertRange:
    """The alert level is at least ``lowest`` and at most ``highest`` (None: no alert);
    equal when the buckets decide it."""

    lowest: str | None
    highest: str | None


def alert_range(d: Distribution, on: str, levels: Sequence[tuple[str, float]]) -> AlertRange:
    """Classify ``on`` by levels given highest first, e.g. (("emergency", 200), ...):
    a value above a level's limit raises that level."""
    lowest = highest = None
    for name, limit in levels:
        above = compare(d, on, "gt", limit).holds
        if highest is None and above is not False:
            highest = name
        if above is True:
            lowest = name
            break
    return AlertRange(lowest, highest)


def degradation(before: ValueRange, after: ValueRange,
                higher_is_better: bool = False) -> tuple[float, float] | None:
    """The range of the percentage change in the bad direction; None when the baseline
    range touches 0 (a percentage change is then undefined)."""
    if before.low <= 0 <= before.high:
        return None
    changes = [_change(b, a) for b in (before.low, before.high)
               for a in (after.low, after.high)]
    if higher_is_better:
        changes = [-c for c in changes]
    return min(changes), max(changes)


def _change(before: Decimal, after: Decimal) -> float:
    if after == INF:
        return float("inf")
    if before == INF:
        return -100.0
    return float((after - before) / abs(before) * 100)
