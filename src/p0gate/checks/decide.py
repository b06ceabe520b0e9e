"""Decisions on a latency histogram: exact on a bucket boundary, decided when the bucket
holding the limit lies wholly on one side, otherwise undecided naming the boundary to add.

What the statistic, exceedance, alerts and regression checks need, as plain values:

- ``compare(h, stat, op, limit)``: ``count``/``min``/``max``/``mean``/``pNN`` against ``lt``,
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

from p0gate.evidence.histogram import (
    INF,
    Count,
    Cut,
    Histogram,
    HistogramError,
    ValueRange,
    count_below,
    exact,
    mean,
    percentile,
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


def compare(h: Histogram, stat: str, op: Op, limit: float) -> Decision:
    """Whether ``stat op limit`` holds on the histogram (None: undecided)."""
    if h.total == 0:
        raise HistogramError("no events: every statistic is undefined")
    at = exact(limit)
    if stat == "count":
        value = Decimal(h.total)
        return Decision(_plain(value, op, at), ValueRange(value, value))
    if stat == "mean":
        return _compare_range(mean(h), op, at)
    known = percentile(h, stat)
    if known.exact:  # a source computed this rank's value exactly
        return Decision(_plain(known.low, op, at), known)
    r = rank(stat, h.total)
    below = count_below(h, at, inclusive=False)
    upto = count_below(h, at, inclusive=True)
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


def events_at_or_above(h: Histogram, threshold: float) -> Count:
    """Events ``>= threshold``: the total less the events below it."""
    below = count_below(h, exact(threshold), inclusive=False)
    return Count(h.total - below.high, h.total - below.low, below.before, below.after)


def upper_bound(bad: int, n: int, confidence: float) -> float:
    """One-sided Clopper–Pearson upper bound of a binomial proportion."""
    from scipy.special import betaincinv

    if bad >= n:
        return 1.0
    return float(betaincinv(bad + 1, n - bad, confidence))


@dataclass(frozen=True)
class ExceedanceDecision:
    """The share of events ``>= threshold`` judged against ``max_rate``.

    ``verdict`` is None when the bucket holding the threshold could change the answer; then
    ``boundary`` is the cut to add (``< threshold``). ``upper`` holds the Clopper–Pearson
    bounds at the low and high counts (None without ``confidence``).
    """

    total: int
    bad: Count
    verdict: Verdict | None
    upper: tuple[float, float] | None
    boundary: Cut | None


def judge_rate(bad: int, n: int, max_rate: float, confidence: float | None) -> Verdict:
    """pass / fail / short for an exact count, with an exact rational rate comparison."""
    if Fraction(bad, n) > Fraction(repr(max_rate)):
        return "fail"
    if confidence is None or upper_bound(bad, n, confidence) <= max_rate:
        return "pass"
    return "short"


def exceedance(h: Histogram, threshold: float, max_rate: float,
               confidence: float | None = None) -> ExceedanceDecision:
    """At most ``max_rate`` of the events ``>= threshold``; decided at both count bounds."""
    if h.total == 0:
        raise HistogramError("no events: the exceedance rate is undefined")
    bad = events_at_or_above(h, threshold)
    low = judge_rate(bad.low, h.total, max_rate, confidence)
    high = judge_rate(bad.high, h.total, max_rate, confidence)
    upper = None
    if confidence is not None:
        upper = (upper_bound(bad.low, h.total, confidence),
                 upper_bound(bad.high, h.total, confidence))
    decided = low if low == high else None
    return ExceedanceDecision(h.total, bad, decided, upper,
                              None if decided else Cut(exact(threshold), False))


@dataclass(frozen=True)
class AlertRange:
    """The alert level is at least ``lowest`` and at most ``highest`` (None: no alert);
    equal when the buckets decide it."""

    lowest: str | None
    highest: str | None


def alert_range(h: Histogram, on: str, levels: Sequence[tuple[str, float]]) -> AlertRange:
    """Classify ``on`` by levels given highest first, e.g. (("emergency", 200), ...):
    a value above a level's limit raises that level."""
    lowest = highest = None
    for name, limit in levels:
        above = compare(h, on, "gt", limit).holds
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
