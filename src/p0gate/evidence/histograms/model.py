"""Latency histograms: exact event counts at bucket boundaries, in ms.

A histogram is what a format tells for sure: for some boundaries ("cuts"), how many events
were ``<= at`` (an inclusive cut, Prometheus' ``le``) or ``< at`` (an exclusive one). Between
two neighbouring cuts lies a bucket whose events could be anywhere inside it. Counts are
Python ints (exact at 10^12 events and beyond), boundaries are Decimals in ms (``le="0.2"``
seconds is exactly 200 ms; a float would make it 200.00000000000003).

``grain_ms`` marks histograms whose values are whole multiples of a grain (HdrHistogram
records integers): then ``x < 200`` is the same question as ``x <= 199.999`` and both are
answered from the same cut. Latencies are never negative: a histogram holding events below
0 is refused, and every range starts at 0.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Protocol

UNITS: dict[str, Decimal] = {"ns": Decimal("0.000001"), "us": Decimal("0.001"),
                             "ms": Decimal(1), "s": Decimal(1000)}
INF = Decimal("Infinity")
ZERO = Decimal(0)


class HistogramError(ValueError):
    """A set of counts that is not a histogram (the parser adds the file name)."""


def to_ms(value: Decimal, unit: str) -> Decimal:
    """A value in ``unit`` (ns, us, ms, s) as exact ms."""
    if unit not in UNITS:
        raise HistogramError(f"unknown unit {unit!r} (use one of {', '.join(UNITS)})")
    return value * UNITS[unit]


def exact(number: float | int | str | Decimal) -> Decimal:
    """A threshold as the person wrote it: 99.9 is Decimal('99.9'), not the binary float."""
    if isinstance(number, Decimal):
        return number
    return Decimal(repr(number)) if isinstance(number, float) else Decimal(number)


@dataclass(frozen=True, order=True)
class Cut:
    """The boundary between the events ``<= at`` (inclusive) or ``< at`` and the rest."""

    at: Decimal
    inclusive: bool

    def text(self) -> str:
        return f"{'<=' if self.inclusive else '<'} {fmt_ms(self.at)} ms"


def fmt_ms(value: Decimal) -> str:
    """A boundary in ms as people write it (no exponent, no trailing zeros)."""
    if value.is_infinite():
        return "+Inf" if value > 0 else "-Inf"
    text = format(value.normalize(), "f")
    return text


class Distribution(Protocol):
    """What the latency checks ask of evidence, in ms: a histogram answers from its buckets
    (exactly on a cut, else within the bucket), samples answer everything exactly.
    ``advice`` says what would decide a question the buckets leave open."""

    @property
    def total(self) -> int: ...

    def count_below(self, at: Decimal, *, inclusive: bool) -> Count: ...

    def at_rank(self, r: int) -> ValueRange: ...

    def mean(self) -> ValueRange: ...

    def advice(self, cut: Cut) -> str: ...


@dataclass(frozen=True)
class Histogram:
    """Cumulative event counts at increasing cuts; see the module docstring. ``source`` names
    the format (prometheus, otlp, hdrhistogram, answers): it shapes the advice on what would
    decide an open question."""

    cuts: tuple[Cut, ...]
    below: tuple[int, ...]
    total: int
    sum_ms: float | None = None
    grain_ms: Decimal | None = None
    points: tuple[tuple[int, Decimal], ...] = ()  # exact (rank, value) pairs a source computed
    source: str = ""

    def __post_init__(self) -> None:
        _check(self)

    def count_below(self, at: Decimal, *, inclusive: bool) -> Count:
        return count_below(self, at, inclusive=inclusive)

    def at_rank(self, r: int) -> ValueRange:
        return at_rank(self, r)

    def mean(self) -> ValueRange:
        return mean(self)

    def advice(self, cut: Cut) -> str:
        return advice(self, cut)


def _check(h: Histogram) -> None:
    if len(h.cuts) != len(h.below):
        raise HistogramError("each cut needs one cumulative count")
    if h.total < 0:
        raise HistogramError(f"negative total count {h.total}")
    previous: tuple[Cut, int] | None = None
    for cut, count in zip(h.cuts, h.below, strict=True):
        if not 0 <= count <= h.total:
            raise HistogramError(f"count {count} at {cut.text()} is outside 0..{h.total}")
        if previous and (cut <= previous[0] or count < previous[1]):
            raise HistogramError(f"counts are not cumulative: {previous[1]} events "
                                 f"{previous[0].text()} but {count} {cut.text()}")
        if count and (cut.at < 0 or (cut.at == 0 and not cut.inclusive)):
            raise HistogramError(f"{count} events {cut.text()}: latencies are never negative")
        previous = (cut, count)
    _check_points(h)
    _check_sum(h)


def _check_points(h: Histogram) -> None:
    """Exact (rank, value) pairs must agree with the counts and with each other: the value
    at rank r has fewer than r events below it and at least r at or below it."""
    ranks = [r for r, _ in h.points]
    if len(set(ranks)) != len(ranks) or any(not 1 <= r <= h.total for r in ranks):
        raise HistogramError(f"exact values at ranks {ranks}: a rank outside 1..{h.total} "
                             "or given two values")
    values = [v for _, v in h.points]
    for r, v in h.points:
        if not v.is_finite() or v < 0 or any(w < v for w in values[ranks.index(r):]):
            raise HistogramError(f"the value {v} ms at rank {r} is negative, not finite or "
                                 "above a higher rank's value")
        below, upto = count_below(h, v, inclusive=False), count_below(h, v, inclusive=True)
        if below.low >= r or upto.high < r:
            raise HistogramError(f"the value {fmt_ms(v)} ms at rank {r} contradicts the "
                                 f"counts ({below.low} events < it, {upto.high} <= it)")


SUM_SLACK = Decimal("1e-6")  # relative: a float sum of many events carries rounding


def _check_sum(h: Histogram) -> None:
    """The sum must be a latency sum the buckets allow: finite, not negative, and between
    the least and the most the events in their buckets can add up to."""
    if h.sum_ms is None:
        return
    if not math.isfinite(h.sum_ms) or h.sum_ms < 0 or (h.total == 0 and h.sum_ms):
        raise HistogramError(f"the sum of the events ({h.sum_ms} ms) is not a sum of "
                             f"{h.total} latencies")
    low, high = _sum_bounds(h)
    total = exact(h.sum_ms)
    if total < low * (1 - SUM_SLACK) or total > high * (1 + SUM_SLACK):
        raise HistogramError(f"the sum of the events ({h.sum_ms:g} ms) contradicts the "
                             f"buckets (between {fmt_ms(low)} and {fmt_ms(high)} ms)")


def build(counts: Iterable[tuple[Cut, int]], total: int, *, sum_ms: float | None = None,
          grain_ms: Decimal | None = None, points: Iterable[tuple[int, Decimal]] = (),
          source: str = "") -> Histogram:
    """A histogram from (cut, cumulative count) pairs, sorted by cut here."""
    pairs = sorted(counts)
    return Histogram(tuple(c for c, _ in pairs), tuple(n for _, n in pairs), total, sum_ms,
                     grain_ms, tuple(sorted(set(points))), source)


def advice(h: Histogram, cut: Cut) -> str:
    """What would decide a question whose answer lies inside a bucket: the boundary to add,
    said in the terms of the histogram's format."""
    at = fmt_ms(cut.at)
    if h.source == "answers":
        return (f"the collected answers have no count at {cut.text()}: re-run `p0gate collect` "
                "with the pack that holds this control")
    if h.source == "hdrhistogram":
        return (f"HdrHistogram's bucket around {at} ms is too wide: record with more "
                "significant figures")
    if cut.inclusive:
        return f"add a bucket boundary at {at} ms"
    return (f"add a bucket boundary just below {at} ms (a bucket counts the values <= its "
            f"bound, so the events < {at} ms need one)")


@dataclass(frozen=True)
class Count:
    """How many events lie below a cut: exactly (low == high) or within bounds.

    ``after`` and ``before`` are the neighbouring cuts of the bucket holding the query when
    it is not a boundary (None: the open end of the histogram).
    """

    low: int
    high: int
    before: Cut | None = None
    after: Cut | None = None

    @property
    def exact(self) -> bool:
        return self.low == self.high


def count_below(h: Histogram, at: Decimal, *, inclusive: bool) -> Count:
    """Events ``<= at`` (inclusive) or ``< at``: exact on a cut, else the bucket's bounds."""
    query = _on_grain(h, Cut(at, inclusive))
    if query.at < 0 or (query.at == 0 and not query.inclusive):
        return Count(0, 0)
    i = bisect_left(h.cuts, query)
    if i < len(h.cuts) and h.cuts[i] == query:
        return Count(h.below[i], h.below[i])
    low = h.below[i - 1] if i else 0
    high = h.below[i] if i < len(h.cuts) else h.total
    if low == high:
        return Count(low, low)
    return Count(low, high, h.cuts[i - 1] if i else None, h.cuts[i] if i < len(h.cuts) else None)


def _on_grain(h: Histogram, cut: Cut) -> Cut:
    """On a grain, ``x < t`` is ``x <= the last grain point before t``."""
    g = h.grain_ms
    if g is None or cut.at.is_infinite():
        return cut
    steps = (cut.at / g).to_integral_value(rounding=ROUND_FLOOR)
    if not cut.inclusive and steps * g == cut.at:
        steps -= 1
    return Cut(steps * g, True)


def rank(stat: str, n: int) -> int:
    """The nearest rank (1-based) of min, max or pNN among ``n`` events: ceil(q/100 * n)."""
    if stat == "min":
        return 1
    if stat == "max":
        return n
    if not stat.startswith("p"):
        raise HistogramError(f"{stat!r} is not a rank statistic")
    return max(1, math.ceil(Decimal(stat[1:]) * n / 100))


@dataclass(frozen=True)
class ValueRange:
    """Where a statistic lies: from ``low`` to ``high`` ms, each end closed or open."""

    low: Decimal
    high: Decimal
    low_closed: bool = True
    high_closed: bool = True

    @property
    def exact(self) -> bool:
        return self.low == self.high

    def text(self) -> str:
        if self.exact:
            return f"{fmt_ms(self.low)} ms"
        left, right = "[" if self.low_closed else "(", "]" if self.high_closed else ")"
        return f"{left}{fmt_ms(self.low)}, {fmt_ms(self.high)}{right} ms"


def at_rank(h: Histogram, r: int) -> ValueRange:
    """The bucket range holding the ``r``-th smallest event (1 <= r <= total)."""
    if not 1 <= r <= h.total:
        raise HistogramError(f"rank {r} outside 1..{h.total}")
    known = dict(h.points)
    if r in known:
        return ValueRange(known[r], known[r])
    j = bisect_left(h.below, r)
    low, low_closed = ZERO, True
    if j:
        lower = h.cuts[j - 1]
        low, low_closed = lower.at, not lower.inclusive
        if h.grain_ms is not None and lower.inclusive:
            low, low_closed = lower.at + h.grain_ms, True
    if j == len(h.cuts):
        return ValueRange(max(low, ZERO), INF, low_closed, False)
    upper = h.cuts[j]
    return ValueRange(max(low, ZERO), upper.at, low_closed,
                      upper.inclusive and upper.at != INF)


def percentile(h: Histogram, stat: str) -> ValueRange:
    """min, max or a nearest-rank pNN as the bucket range it falls in."""
    return at_rank(h, rank(stat, h.total))


def mean(h: Histogram) -> ValueRange:
    """The exact mean when the format carries the sum (held to the buckets' bounds, which
    its float rounding may cross by a hair), else bounds from the buckets."""
    if h.total == 0:
        raise HistogramError("no events: the mean is undefined")
    low, high = _sum_bounds(h)
    if h.sum_ms is not None:
        value = min(max(exact(h.sum_ms), low), high) / h.total
        return ValueRange(value, value)
    return ValueRange(low / h.total, high / h.total)


def _sum_bounds(h: Histogram) -> tuple[Decimal, Decimal]:
    """The least and the most the events can add up to, each at an end of its bucket."""
    low = high = ZERO
    previous_count, previous_at = 0, ZERO
    for cut, count in zip(h.cuts, h.below, strict=True):
        events = count - previous_count
        if events:
            low += events * max(previous_at, ZERO)
            high += events * cut.at
        previous_count, previous_at = count, cut.at
    if h.total > previous_count:
        low += (h.total - previous_count) * max(previous_at, ZERO)
        high = INF
    return low, high
