"""Inline SVG charts of a control's measured statistics against its threshold.

Only the result is charted: the measured statistics (percentiles, max, mean…) as bars and
the required limit as a vertical line. Controls without numeric statistics and a numeric
limit get no chart.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from p0gate.formats.view import value

if TYPE_CHECKING:
    from p0gate.result import ControlResult

STAT = re.compile(r"^(?:alert_on_)?(min|max|mean|p(?:100|\d{1,2}(?:\.\d+)?))$")
LIMIT = re.compile(r"^\s*(<|<=|>|>=|==)\s*(-?\d+(?:\.\d+)?)\s*$")
WIDTH, LABEL, BAR, GAP = 560, 90, 22, 8


def statistics(control: ControlResult) -> dict[str, float]:
    """Measured statistics by name (``alert_on_p95`` folds into ``p95``)."""
    found: dict[str, float] = {}
    for key, val in control.measured.items():
        match = STAT.match(key)
        if match and isinstance(val, int | float):
            found.setdefault(match.group(1), float(val))
    return found


def limit(control: ControlResult) -> tuple[str, float] | None:
    """The required comparator and limit: ``threshold`` (values must stay below) or a
    comparator such as ``<= 200``."""
    for key, val in control.required.items():
        if key == "threshold" and isinstance(val, int | float):
            return "<", float(val)
        match = LIMIT.match(val) if isinstance(val, str) and STAT.match(key) else None
        if match:
            return match.group(1), float(match.group(2))
    return None


def chart(control: ControlResult) -> Markup | None:
    """A horizontal bar chart of the statistics with the limit as a red line, or None."""
    stats, bound = statistics(control), limit(control)
    if not stats or bound is None:
        return None
    top = max([*stats.values(), bound[1]]) * 1.1 or 1.0
    scale = (WIDTH - LABEL - 70) / top
    height = len(stats) * (BAR + GAP) + 34
    parts = [_bar(i, name, v, scale, meets(v, *bound)) for i, (name, v) in enumerate(stats.items())]
    x = LABEL + bound[1] * scale
    title = (
        f"{control.id}: measured {', '.join(f'{k} {value(v)}' for k, v in stats.items())}"
        f"; limit {value(bound[1])}"
    )
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">'
        f"<title>{escape(title)}</title>{''.join(parts)}"
        f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 18}" stroke="#b00020" '
        f'stroke-width="2" stroke-dasharray="5 3"/>'
        f'<text x="{x:.1f}" y="{height - 4}" font-size="11" fill="#b00020" '
        f'text-anchor="middle">limit {escape(value(bound[1]))}</text></svg>'
    )


def meets(v: float, op: str, bound: float) -> bool:
    return {"<": v < bound, "<=": v <= bound, ">": v > bound, ">=": v >= bound, "==": v == bound}[
        op
    ]


def _bar(i: int, name: str, v: float, scale: float, ok: bool) -> str:
    y = i * (BAR + GAP) + 4
    color = "#1f5f99" if ok else "#8a1c1c"
    return (
        f'<text x="{LABEL - 8}" y="{y + 15}" font-size="12" text-anchor="end" '
        f'fill="#222">{escape(name)}</text>'
        f'<rect x="{LABEL}" y="{y}" width="{max(v * scale, 1):.1f}" height="{BAR}" '
        f'fill="{color}"/>'
        f'<text x="{LABEL + max(v * scale, 1) + 4:.1f}" y="{y + 15}" font-size="12" '
        f'fill="#222">{escape(value(v))}</text>'
    )
