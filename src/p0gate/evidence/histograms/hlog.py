"""HdrHistogram interval logs (``.hlog``) as wrk2, Gatling and HdrHistogram write them.

Each interval line is ``[Tag=NAME,]start,length,max,HIST…`` (the first start may be 0);
header lines (``#[StartTime: …]``, ``#[BaseTime: …]``, the format version) and the legend
line are read past. The compressed histograms are decoded by the ``hdrh`` package and added
up: the log's histogram is the sum of its intervals. Every other line is an error with its
line number (hdrh's own log reader skips lines it cannot read: a silent gap). Refused too:
intervals with different histogram settings (adding them would claim a precision one of
them lacks) and several tags (which to merge would be a guess; name one with ``tag``).

HdrHistogram records whole numbers, so the histogram has a grain of one recorded unit: a
threshold of 200 ms on a log in µs asks about values up to 199,999 µs, exactly.
"""

from __future__ import annotations

import binascii
import re
import zlib
from decimal import Decimal
from typing import TYPE_CHECKING

from p0gate.evidence.histograms.model import Cut, Histogram, HistogramError, build, to_ms
from p0gate.evidence.histograms.source import bad, pick, resolve_unit

if TYPE_CHECKING:
    from hdrh.histogram import HdrHistogram

_NUMBER = r"\d+(?:\.\d*)?"
_INTERVAL = re.compile(rf"^(?:Tag=([^,]*),)?({_NUMBER}),({_NUMBER}),({_NUMBER}),(\S+)$")
_LEGEND = '"StartTimestamp"'


def parse_hlog(data: bytes, name: str, *, unit: str | None = None,
               tag: str | None = None) -> Histogram:
    """The sum of the log's interval histograms (of one tag), bounds in ms."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise bad(name, f"not valid UTF-8 at byte {exc.start}") from None
    intervals = _intervals(text, name)
    tags = sorted({t or "(untagged)" for t, _ in intervals})
    if tag is None and len(tags) > 1:
        raise bad(name, f"intervals of several tags {tags}: merging them would be a guess",
                  hint="name the tag to read")
    wanted = pick((t for t, _ in intervals if t is not None), tag, "tag", name)
    chosen = [payload for t, payload in intervals if tag is None or t == wanted]
    if not chosen:
        raise bad(name, "no interval histograms" + (f" tagged {tag!r}" if tag else ""))
    return _histogram(_sum(chosen, name), name, resolve_unit(name, unit, set()))


def _intervals(text: str, name: str) -> list[tuple[str | None, str]]:
    found = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith(_LEGEND):
            continue
        match = _INTERVAL.match(line)
        if match is None:
            raise bad(name, f"line {number}: not an interval line "
                      "([Tag=NAME,]start,length,max,HISTogram)")
        found.append((match.group(1), match.group(5)))
    return found


def _sum(payloads: list[str], name: str) -> HdrHistogram:
    from hdrh.histogram import HdrHistogram

    decoded = [_decode(p, name, i) for i, p in enumerate(payloads, 1)]
    first = decoded[0]
    total = HdrHistogram(first.lowest_trackable_value, first.highest_trackable_value,
                         first.significant_figures)
    for i, part in enumerate(decoded, 1):
        if _settings(part) != _settings(first):
            raise bad(name, f"interval {i} has histogram settings {_settings(part)}, the "
                      f"first has {_settings(first)}: adding them would blur buckets")
        total.add(part)
    return total


def _settings(h: HdrHistogram) -> tuple[int, int, int]:
    return (h.lowest_trackable_value, h.highest_trackable_value, h.significant_figures)


def _decode(payload: str, name: str, index: int) -> HdrHistogram:
    from hdrh.codec import HdrCookieException, HdrLengthException
    from hdrh.histogram import HdrHistogram

    try:
        return HdrHistogram.decode(payload)
    except (HdrCookieException, HdrLengthException, zlib.error, binascii.Error, TypeError,
            ValueError, RuntimeError, IndexError) as exc:
        raise bad(name, f"interval {index}: cannot decode the histogram "
                  f"({type(exc).__name__}: {exc})") from None


def _histogram(h: HdrHistogram, name: str, unit: str) -> Histogram:
    """Each recorded bucket holds whole values lo..hi: cuts at lo-1 and hi, inclusive."""
    grain = to_ms(Decimal(1), unit)
    counts: dict[Cut, int] = {}
    seen = 0
    for item in h.get_recorded_iterator():
        value = item.value_iterated_to
        low, high = h.get_lowest_equivalent_value(value), h.get_highest_equivalent_value(value)
        counts.setdefault(Cut(to_ms(Decimal(low - 1), unit), True), seen)
        seen += item.count_added_in_this_iter_step
        counts[Cut(to_ms(Decimal(high), unit), True)] = seen
    if seen != h.get_total_count():
        raise bad(name, f"buckets hold {seen} events but the histogram says "
                  f"{h.get_total_count()}")
    try:
        return build(counts.items(), seen, grain_ms=grain, source="hdrhistogram")
    except HistogramError as exc:
        raise bad(name, str(exc)) from None
