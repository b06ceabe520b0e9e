"""What the histogram parsers share: errors naming the file, units, exact counts.

Every parser takes the artifact's bytes and a name for messages (the artifact id and path)
and raises ``EvidenceError`` naming that file and what is wrong; nothing is guessed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from p0gate.errors import EvidenceError
from p0gate.evidence.histograms.model import UNITS

MAX_EXACT_FLOAT = 2**53
_NAMED = re.compile(r"(?:^|[_.\- (\[])(seconds?|secs?|s|milliseconds?|millis|msecs?|ms|"
                    r"microseconds?|micros|usecs?|us|µs|nanoseconds?|nanos|nsecs?|ns)[)\]]?$")
_WORD_UNIT = {"s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s",
              "ms": "ms", "msec": "ms", "msecs": "ms", "millis": "ms", "millisecond": "ms",
              "milliseconds": "ms", "us": "us", "µs": "us", "usec": "us", "usecs": "us",
              "micros": "us", "microsecond": "us", "microseconds": "us", "ns": "ns",
              "nsec": "ns", "nsecs": "ns", "nanos": "ns", "nanosecond": "ns",
              "nanoseconds": "ns"}
_UCUM = {"s": "s", "ms": "ms", "us": "us", "ns": "ns", "seconds": "s", "milliseconds": "ms",
         "microseconds": "us", "nanoseconds": "ns"}


def bad(name: str, what: str, hint: str | None = None) -> EvidenceError:
    return EvidenceError(f"{name}: {what}", hint=hint)


def unit_of_metric(metric: str) -> str | None:
    """The unit a metric or column name declares by its last word (``_seconds``, ``_s``,
    ``_ms``, ``.us``, `` (ms)``...), None when it names none."""
    match = _NAMED.search(metric.removesuffix("_bucket").strip().lower())
    return _WORD_UNIT[match.group(1)] if match else None


def column_unit(column: str, given: str | None, where: str) -> str:
    """The unit of a sample column: the artifact's ``unit`` (default ms), which must agree
    with a unit the column's name declares (``latency_s`` read as ms would be 1000 times
    too fast)."""
    declared = unit_of_metric(column)
    if declared is not None and declared != (given or "ms"):
        said = f"`unit: {given}`" if given else "no `unit` (ms by default)"
        raise EvidenceError(f"{where}: column {column!r} is named in {declared}, the artifact "
                            f"has {said}", hint=f"set the artifact's `unit: {declared}`")
    return given or "ms"


def unit_word(word: str) -> str | None:
    """An OpenMetrics/OTLP unit word as one of ns, us, ms, s (None: not a time unit)."""
    return _UCUM.get(word.strip().lower())


def resolve_unit(name: str, given: str | None, declared: set[str]) -> str:
    """The artifact's ``unit`` or the one the data declares; a conflict is an error."""
    if len(declared) > 1:
        raise bad(name, f"the series declare conflicting units {sorted(declared)}")
    if given is not None and given not in UNITS:
        raise bad(name, f"unknown unit {given!r} (use one of {', '.join(UNITS)})")
    if given and declared and given not in declared:
        raise bad(name, f"the manifest says unit {given!r} but the data is in "
                  f"{next(iter(declared))!r}", hint="fix the artifact's `unit`")
    return given or next(iter(declared), "ms")


def count_value(name: str, raw: object, where: str) -> int:
    """An event count: a non-negative whole number (strings parsed exactly)."""
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise bad(name, f"{where}: count {raw!r} is not a number")
    if isinstance(raw, float):
        if not math.isfinite(raw) or not raw.is_integer() or abs(raw) > MAX_EXACT_FLOAT:
            raise bad(name, f"{where}: count {raw!r} is not a whole number held exactly")
        raw = int(raw)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise bad(name, f"{where}: count {raw!r} is not a number") from None
    if not value.is_finite() or value != value.to_integral_value():
        raise bad(name, f"{where}: count {raw!r} is not a whole number",
                  hint="rate()/increase() extrapolate to fractions: export the raw counters")
    if value < 0:
        raise bad(name, f"{where}: negative count {raw!r}")
    return int(value)


def bound_value(name: str, raw: str, where: str) -> Decimal:
    """A bucket bound as written (``0.2``, ``+Inf``), exactly."""
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise bad(name, f"{where}: bucket bound {raw!r} is not a number") from None
    if value.is_nan():
        raise bad(name, f"{where}: bucket bound is NaN")
    return value


def pick(found: Iterable[str], wanted: str | None, what: str, name: str) -> str | None:
    """The one name of ``found`` that ``wanted`` names, compared folded (case, spaces,
    Unicode) as every other selector is; None when none does. Two names spelled alike
    (``lat`` and ``Lat ``) are refused: reading one and ignoring the other is a guess."""
    from p0gate.textmatch import fold

    if wanted is None:
        return None
    alike = sorted({n for n in found if fold(n) == fold(wanted)})
    if len(alike) > 1:
        raise bad(name, f"{what}s {alike} are spelled alike: which one {wanted!r} means is "
                  "a guess")
    return alike[0] if alike else None
