"""The one-sided Clopper–Pearson upper bound of a share of bad events, and how to decide
against it without importing scipy when a cheaper bound already proves the answer.

The exact bound ``U`` solves ``P(X <= bad | n, U) = 1 - confidence``; scipy computes it as
``betaincinv(bad + 1, n - bad, confidence)`` (importing scipy.special costs about 0.3 s).
Two cases need no scipy:

- no bad event: ``U = 1 - (1 - confidence)^(1/n)`` exactly;
- the Chernoff bound ``P(X <= k) <= exp(-n · KL(k/n || p))`` holds for every ``p > k/n``,
  so the ``p*`` where ``n · KL = ln(1/(1 - confidence))`` is at least ``U``: when ``p*`` is
  within the limit, so is ``U`` (``Bound.exact`` is then false: ``U`` is at most ``value``).
  With many events (10^12 in a histogram) ``p*`` is within a hair of ``U``.

Otherwise (the share is near the limit) scipy decides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_SEARCH = 10**12
_MARGIN = 1e-9  # relative slack for rounding in the Chernoff exponent (plus 1e-7 absolute)


@dataclass(frozen=True)
class Bound:
    """The upper bound, or (``exact`` false) a value it is at most."""

    value: float
    exact: bool


def upper_bound(bad: int, n: int, confidence: float) -> float:
    """One-sided Clopper–Pearson upper bound of a binomial proportion (exact)."""
    if bad >= n:
        return 1.0
    if bad == 0:
        return -math.expm1(math.log1p(-confidence) / n)
    from scipy.special import betaincinv

    return float(betaincinv(bad + 1, n - bad, confidence))


def bound(bad: int, n: int, confidence: float, max_rate: float) -> Bound:
    """The upper bound, or a cheaper value it is at most when that is within ``max_rate``."""
    if 0 < bad < n and bad / n < max_rate:
        cheap = chernoff(bad, n, confidence)
        if cheap <= max_rate:
            return Bound(cheap, False)
    return Bound(upper_bound(bad, n, confidence), True)


def _kl(a: float, p: float) -> float:
    """KL(a || p) of two Bernoulli shares, 0 < a < p < 1 (each term accurate by log1p)."""
    return a * math.log(a / p) + (1 - a) * math.log1p((p - a) / (1 - p))


def chernoff(bad: int, n: int, confidence: float) -> float:
    """The ``p > bad/n`` where ``n · KL(bad/n || p)`` reaches ``ln(1/(1 - confidence))``,
    rounded up: the Clopper–Pearson bound is at most this."""
    a, target = bad / n, -math.log1p(-confidence) * (1 + _MARGIN) + 1e-7
    low, high = a, 1.0
    for _ in range(200):
        mid = (low + high) / 2
        if mid in (low, high):
            break
        if n * _kl(a, mid) >= target:
            high = mid
        else:
            low = mid
    return min(1.0, high * (1 + _MARGIN))


def samples_needed(rate: float, max_rate: float, confidence: float) -> int | None:
    """Smallest sample count at which the observed rate would pass at ``confidence``."""
    if rate >= max_rate:
        return None
    if rate == 0:
        return math.ceil(math.log(1 - confidence) / math.log1p(-max_rate))
    lo, hi = 1, 2
    while upper_bound(round(rate * hi), hi, confidence) > max_rate:
        lo, hi = hi, hi * 2
        if hi > MAX_SEARCH:
            return None
    while lo < hi:
        mid = (lo + hi) // 2
        if upper_bound(round(rate * mid), mid, confidence) > max_rate:
            lo = mid + 1
        else:
            hi = mid
    return lo
