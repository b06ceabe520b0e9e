"""Charts of the typed figures of a result, drawn by matplotlib's SVG backend.

A latency distribution is drawn as percentile against latency (log scale), the way
HdrHistogram plots are read: the x axis spreads the nines (50%, 90%, 99%, 99.9%…), so the
tail that gates decide on is visible; the threshold, the limit, the alert levels and the
measured statistic are lines and points on it. Samples give exact nearest-rank values at
fixed percent points; a histogram gives the share of its events at or below each bucket
boundary, drawn as those points (exact) joined by the bucket's upper bound (the
percentiles between two boundaries lie somewhere in that bucket, at most its upper end).
A regression draws the baseline's curve beside the current one. The per-gate history draws
each recorded decision over time.
Every number comes from the result's typed ``figure`` (or the ledger's rows), never from
display strings. matplotlib is imported only here, only when a chart is drawn.

Each SVG carries a ``<title>`` (the chart's text alternative: the HTML's accessible name,
the tagged PDF's ``/Alt``) and ids unique to its chart, and is byte-identical for the same
numbers.
"""

from __future__ import annotations

import math
import re
from io import StringIO
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from p0gate.formats.view import quantity
from p0gate.measures import Distribution, QuantilePoint, Regression

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from p0gate.formats.base import HistoryPoint
    from p0gate.measures import Marker
    from p0gate.result import ControlResult

STYLE = {"threshold": ("#b00020", "-"), "limit": ("#b00020", "-"), "warning": ("#9a6700", ":"),
         "critical": ("#c2410c", "--"), "emergency": ("#7f1d1d", "-.")}
TICKS = (0, 90, 99, 99.9, 99.99, 99.999)
# How each decision of the ledger is marked: a gate's GO and NO-GO, monitoring's OK and ROLLBACK.
MARKS = (("GO", "#0b5d1e", "o"), ("NO-GO", "#8a1111", "x"), ("OK", "#0b5d1e", "^"),
         ("ROLLBACK", "#8a1111", "v"))
SIZE = (6.4, 2.7)


def chart(control: ControlResult) -> Markup | None:
    """The control's figure as inline SVG, or None when it has none."""
    figure = control.figure
    if isinstance(figure, Distribution):
        return _svg(_distribution(figure), alt_text(control), control.id)
    if isinstance(figure, Regression):
        return _svg(_regression(figure), alt_text(control), control.id)
    return None


def alt_text(control: ControlResult) -> str:
    """What the chart shows, in words: its text alternative."""
    figure = control.figure
    if isinstance(figure, Regression):
        return (f"{control.id}: {figure.stat} of the baseline "
                f"{quantity(figure.baseline, figure.unit)} against "
                f"{quantity(figure.current, figure.unit)} now (at most "
                f"{quantity(figure.max_degradation_percent, '%')} worse allowed); both "
                "distributions as percentile against latency, log scale.")
    if not isinstance(figure, Distribution):
        return control.id
    marks = "; ".join(f"{m.label} {quantity(m.value, figure.unit)}" for m in figure.markers)
    if figure.basis == "buckets":
        return (f"{control.id}: histogram of {figure.count} events, the share at or below "
                f"each of {len(figure.points)} bucket boundaries as percentile against "
                f"latency ({figure.unit}, log scale); {marks}.")
    return (f"{control.id}: distribution of {figure.count} samples as percentile against "
            f"latency ({figure.unit}, log scale); {marks}.")


def nines(percent: float, count: int) -> float:
    """The x position of a percentile: -log10 of the share above it (capped for the max)."""
    share = max(1 - percent / 100, 0.5 / max(count, 1))
    return -math.log10(share)


def _figure(noun: str = "samples") -> tuple[Figure, Axes]:
    """A figure with one log-scale axes, laid out by fixed margins (no layout engine, and
    plain tick labels, not mathtext: a chart costs a few tens of milliseconds)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, NullFormatter

    figure = Figure(figsize=SIZE, dpi=72)
    figure.subplots_adjust(left=0.1, right=0.69, bottom=0.17, top=0.96)
    axes = figure.add_subplot()
    axes.set_yscale("log")
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axes.yaxis.set_minor_formatter(NullFormatter())
    axes.set_xlabel(f"percentile of {noun}")
    axes.grid(True, which="major", color="#dddddd", linewidth=0.5)
    return figure, axes


def _curve(axes: Axes, points: list[QuantilePoint], count: int, basis: str = "samples",
           **style: object) -> None:
    """Samples: each value holds from its percent on; buckets: each boundary is exact at
    its share, and the percentiles before it lie at most at it (marked points, steps up to
    them)."""
    xs = [nines(p.percent, count) for p in points]
    ys = [max(p.value, 1e-3) for p in points]  # a 0 ms sample sits at the axis floor
    if basis == "buckets":
        axes.step(xs, ys, where="pre", marker=".", **style)  # type: ignore[arg-type]
        return
    axes.step(xs, ys, where="post", **style)  # type: ignore[arg-type]


def _ticks(axes: Axes, count: int) -> None:
    top = nines(100, count)
    shown = [t for t in TICKS if t == 0 or -math.log10(1 - t / 100) <= top - 0.3]
    axes.set_xticks([nines(t, count) for t in shown], [f"{t:g}%" for t in shown])
    axes.set_xlim(0, top * 1.02)


def _distribution(figure: Distribution) -> Figure:
    noun = "events" if figure.basis == "buckets" else "samples"
    canvas, axes = _figure(noun)
    what = " (bucket boundaries)" if figure.basis == "buckets" else ""
    _curve(axes, figure.points, figure.count, figure.basis, color="#1f4e79", linewidth=1.6,
           label=f"{figure.count} {noun}{what}")
    for marker in figure.markers:
        _mark(axes, marker, figure)
    if figure.max_rate is not None:
        axes.axvline(nines(100 * (1 - figure.max_rate), figure.count), color="#555555",
                     linestyle="--", linewidth=0.8,
                     label=f"at most {quantity(figure.max_rate, 'fraction')} at or over")
    axes.set_ylabel(f"latency ({figure.unit})")
    _ticks(axes, figure.count)
    _label_minor(axes)
    _legend(axes)
    return canvas


def _label_minor(axes: Axes) -> None:
    """Within one decade the major ticks are too few: label the minor ones too."""
    from matplotlib.ticker import FuncFormatter

    low, high = axes.get_ylim()
    if high < 20 * low:
        axes.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: f"{v:g}"))


def _legend(axes: Axes) -> None:
    """The legend beside the plot, never over the curve."""
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)


def _mark(axes: Axes, marker: Marker, figure: Distribution) -> None:
    text = f"{marker.label} {quantity(marker.value, figure.unit)}"
    if marker.kind == "measured":
        at = _percent_of(marker.label)
        if at is not None:
            axes.plot([nines(at, figure.count)], [max(marker.value, 1e-3)], "o",
                      color="#0b5d1e", label=f"measured {text}")
            return
        axes.axhline(marker.value, color="#0b5d1e", linewidth=1, label=f"measured {text}")
        return
    key = marker.label if marker.kind == "alert" else marker.kind
    color, style = STYLE.get(key, ("#333333", "-"))
    axes.axhline(marker.value, color=color, linestyle=style, linewidth=1.2,
                 label=text if marker.kind == "alert" else f"{text}")


def _percent_of(stat: str) -> float | None:
    """Where a statistic sits on the percentile axis: pNN at NN, max at 100, min at 0."""
    if stat == "max":
        return 100.0
    if stat == "min":
        return 0.0
    match = re.fullmatch(r"p(\d+(?:\.\d+)?)", stat)
    return float(match.group(1)) if match else None


def _regression(figure: Regression) -> Figure:
    noun = "events" if figure.basis == "buckets" else "samples"
    canvas, axes = _figure(noun)
    _curve(axes, figure.baseline_points, figure.baseline_count, figure.basis, color="#777777",
           linewidth=1.4, label=f"baseline, {figure.baseline_count} {noun}")
    _curve(axes, figure.current_points, figure.current_count, figure.basis, color="#1f4e79",
           linewidth=1.6, label=f"current, {figure.current_count} {noun}")
    for name, v, color in (("baseline", figure.baseline, "#777777"),
                           ("current", figure.current, "#1f4e79")):
        axes.axhline(max(v, 1e-3), color=color, linestyle="--", linewidth=0.9,
                     label=f"{figure.stat} {name} {quantity(v, figure.unit)}")
    sign = -1 if figure.higher_is_better else 1
    allowed = figure.baseline * (1 + sign * figure.max_degradation_percent / 100)
    axes.axhline(max(allowed, 1e-3), color="#b00020", linewidth=1.2,
                 label=f"limit {quantity(allowed, figure.unit)} "
                 f"({quantity(figure.max_degradation_percent, '%')} worse)")
    axes.set_ylabel(f"latency ({figure.unit})")
    _ticks(axes, max(figure.baseline_count, figure.current_count))
    _legend(axes)
    return canvas


def history_chart(points: tuple[HistoryPoint, ...], gates: list[str]) -> Markup | None:
    """Each recorded decision per gate over time; None without history."""
    if not points:
        return None
    return _svg(_history(points, gates), history_alt(points), "history")


def history_alt(points: tuple[HistoryPoint, ...]) -> str:
    listed = "; ".join(f"{p.gate} {p.decision} at {p.recorded_at} ({p.version})"
                       for p in points[-12:])
    return f"Decisions recorded in the ledger, per gate over time: {listed}."


def _history(points: tuple[HistoryPoint, ...], gates: list[str]) -> Figure:
    from datetime import datetime

    from matplotlib.dates import DateFormatter, date2num
    from matplotlib.figure import Figure

    order = list(dict.fromkeys([*gates, *(p.gate for p in points)]))
    canvas = Figure(figsize=(6.4, 0.9 + 0.3 * len(order)), dpi=72)
    canvas.subplots_adjust(left=0.2, right=0.97, bottom=0.3, top=0.95)
    axes = canvas.add_subplot()
    for decision, color, shape in MARKS:
        chosen = [p for p in points if p.decision == decision]
        if not chosen:
            continue
        axes.plot([date2num(datetime.fromisoformat(  # type: ignore[no-untyped-call]
                   p.recorded_at.replace("Z", "+00:00"))) for p in chosen],
                  [order.index(p.gate) for p in chosen], shape, color=color, label=decision)
    axes.set_yticks(range(len(order)), order)
    axes.set_ylim(-0.5, len(order) - 0.5)
    axes.grid(True, axis="x", color="#dddddd", linewidth=0.5)
    axes.legend(loc="lower right", fontsize=7, frameon=False)
    axes.xaxis.set_major_formatter(DateFormatter("%Y-%m-%d"))  # type: ignore[no-untyped-call]
    return canvas


def _svg(figure: Figure, alt: str, salt: str) -> Markup:
    """The figure as an ``<svg>`` element: deterministic, ids prefixed by ``salt``, a
    ``<title>`` first, ``role="img"``."""
    import matplotlib

    out = StringIO()
    with matplotlib.rc_context({"svg.hashsalt": salt, "svg.fonttype": "none",
                                "font.family": "DejaVu Sans", "font.size": 8}):
        figure.savefig(out, format="svg", metadata={"Date": None})
    text = out.getvalue()
    body = text[text.index("<svg"):]
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", salt)
    body = re.sub(r'id="([^"]+)"', rf'id="{prefix}-\1"', body)
    body = re.sub(r'url\(#([^)]+)\)', rf'url(#{prefix}-\1)', body)
    body = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', body)
    head_end = body.index(">") + 1
    head = body[:head_end].replace("<svg ", '<svg role="img" class="chart" ', 1)
    return Markup(f"{head}<title>{escape(alt)}</title>{body[head_end:]}")
