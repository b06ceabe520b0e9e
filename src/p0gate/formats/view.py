"""What the human-readable formats share: wording, order, grouping and quantities with units.

Everything here is a pure function of the result; nothing reads evidence or policy files.
Numbers are shown with the unit the result types for them (``ControlResult.units``) and
requirements from the typed bounds (``ControlResult.bounds``): nothing is parsed back out
of display strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from p0gate.gate import BLOCKING_OUTCOMES
from p0gate.measures import FRACTION
from p0gate.outcome import Outcome, Scalar, fmt

if TYPE_CHECKING:
    from p0gate.result import ControlResult, EvidenceRef, Result, SignoffRecord

OUTCOMES = tuple(o.value for o in Outcome)
NOT_PASSING = tuple(o for o in Outcome if o in BLOCKING_OUTCOMES)  # fail, inconclusive, error
# The order in which controls need a reader's attention: what broke, then what is unknown.
ATTENTION = (Outcome.ERROR, Outcome.FAIL, Outcome.INCONCLUSIVE, Outcome.WAIVED)
_COMPARISON = re.compile(r"^(<|<=|>|>=|==)\s")


def value(v: Scalar) -> str:
    return fmt(v) if isinstance(v, int | float) and not isinstance(v, bool) else str(v)


def quantity(v: Scalar, unit: str) -> str:
    """A value with its unit: ``187 ms``, ``0.5%`` (a fraction), ``99.95%``, ``4.8/5``;
    a comparison written as text (``< 200``) takes the unit too; words stay words."""
    if not unit or isinstance(v, bool):
        return value(v)
    if isinstance(v, str):
        return f"{v} {unit}" if _COMPARISON.match(v) else v
    if unit == FRACTION:
        return f"{fmt(round(v * 100, 6))}%"
    tight = unit in {"%", "x"} or unit.startswith("/")
    return f"{value(v)}{'' if tight else ' '}{unit}"


def measured_items(control: ControlResult) -> list[str]:
    """``key value unit`` for each measured value, in the result's order (``12000 samples``
    when the key is its own unit)."""
    return [_item(k, quantity(v, control.units.get(k, "")), control.units.get(k, ""))
            for k, v in control.measured.items()]


def _item(key: str, shown: str, unit: str) -> str:
    return shown if unit and key == unit else f"{key} {shown}"


def required_items(control: ControlResult) -> list[str]:
    """``key requirement`` for each required value; numeric bounds from the typed bounds."""
    bounds = {b.key: b for b in control.bounds}
    items = []
    for key, raw in control.required.items():
        bound = bounds.get(key)
        unit = bound.unit if bound else control.units.get(key, "")
        shown = (f"{bound.symbol} {quantity(bound.value, bound.unit)}" if bound
                 else quantity(raw, unit))
        items.append(_item(key, shown, unit) if not bound else f"{key} {shown}")
    return items


def values(data: dict[str, Scalar]) -> str:
    """``key value, key value`` in the result's order; an em dash when empty."""
    return ", ".join(f"{k} {value(v)}" for k, v in data.items()) or "—"


def label(outcome: str) -> str:
    return outcome.replace("_", " ")


def system_line(result: Result) -> str:
    meta = result.bundle.metadata
    text = f"{meta.get('system')} {meta.get('version')}"
    return f"{text} ({meta['commit']})" if meta.get("commit") else text


def gate_line(result: Result) -> str:
    """The gate decided, ``beta gate``, or watched: ``production-50 gate, monitoring`` (the
    evidence's rollout step is in the bundle's metadata)."""
    return f"{result.gate} gate" + (", monitoring" if result.mode == "monitor" else "")


def skipped_line(result: Result) -> str:
    """What was not evaluated, and why: ``40 controls do not apply to the beta gate``;
    monitoring also leaves out every control that neither triggers a rollback nor alerts."""
    skipped = result.counts.get("not_applicable", 0)
    if not skipped:
        return ""
    if result.mode == "monitor":
        return (f"{skipped} controls are not watched when monitoring the {result.gate} gate "
                "(only rollback triggers and alerting controls are).")
    return f"{skipped} controls do not apply to the {result.gate} gate."


def authorities(result: Result) -> list[str]:
    """The pack's declared authorities first (pack order), then any other a control names."""
    declared = [a.id for a in result.pack.authorities]
    return list(dict.fromkeys([*declared, *(c.authority for c in result.controls)]))


def authority_title(result: Result, authority: str) -> str:
    """The title the pack gives an authority (``Security Authority``), else its id."""
    return next((a.title for a in result.pack.authorities if a.id == authority), authority)


def by_authority(result: Result) -> list[tuple[str, list[ControlResult]]]:
    groups = [(a, [c for c in result.controls if c.authority == a]) for a in authorities(result)]
    return [(a, controls) for a, controls in groups if controls]


def authority_counts(controls: list[ControlResult]) -> dict[str, int]:
    return {o.value: sum(1 for c in controls if c.outcome is o) for o in Outcome}


def not_passing(result: Result) -> list[ControlResult]:
    return [c for c in result.controls if c.outcome in BLOCKING_OUTCOMES]


def needing_attention(result: Result) -> list[ControlResult]:
    """Every control that is not a pass and applies: errors, fails, inconclusive, waived;
    blocking ones first within each, then in pack order."""
    chosen = [c for c in result.controls if c.outcome in ATTENTION]
    return sorted(chosen, key=lambda c: (ATTENTION.index(c.outcome), not c.blocking))


def failing_first(result: Result) -> list[ControlResult]:
    """Applicable controls in the order a reader needs them: attention first, then passes."""
    passes = [c for c in result.controls if c.outcome is Outcome.PASS]
    return [*needing_attention(result), *passes]


def counts_line(result: Result) -> str:
    return ", ".join(f"{n} {label(k)}" for k, n in result.counts.items() if n)


def source_file(control: ControlResult) -> tuple[str, int | None]:
    """The policy file (relative to the pack) and line of a control."""
    match = re.fullmatch(r"(.+):(\d+)", control.source)
    if match is None:
        return control.source, None
    return match.group(1), int(match.group(2))


def evidence_register(result: Result) -> list[EvidenceRef]:
    """Every artifact any control used, in order of first use."""
    seen: dict[str, EvidenceRef] = {}
    for control in result.controls:
        for ref in control.evidence:
            seen.setdefault(ref.id, ref)
    return list(seen.values())


def unbroken(text: str) -> Markup:
    """``text`` (escaped) with its number-unit and comparator-number spaces made
    non-breaking, so a value never wraps apart from its unit (``375 ms``, ``<= 0.1%``); a
    long dotted or slashed name (``doc.transport.tls_min_version``) may wrap after its dots
    and slashes, never inside a word."""
    text = re.sub(r"(\d) (?=[^\s\d,;]+)", "\\1\u00a0", text)
    text = re.sub(r"(<=|>=|==|<|>) (?=[\d-])", "\\1\u00a0", text)
    parts = [escape(word) if len(word) <= 20 else
             Markup("<wbr>").join(escape(p) for p in re.split(r"(?<=[./:])(?=.)", word))
             for word in text.split(" ")]
    return Markup(" ").join(parts)


@dataclass(frozen=True)
class SignoffRow:
    """An authority of the pack (or a role no authority declares) and its statements."""

    title: str
    role: str
    statements: tuple[SignoffRecord, ...]


def signoff_rows(result: Result) -> list[SignoffRow]:
    """The pack's authorities in order with the bundle's sign-offs for their role, then the
    sign-offs of other roles (unreadable ones last)."""
    rows = [SignoffRow(a.title, a.role, tuple(s for s in result.signoffs if s.role == a.role))
            for a in result.pack.authorities]
    declared = {a.role for a in result.pack.authorities}
    others = dict.fromkeys(s.role or "" for s in result.signoffs if s.role not in declared)
    rows += [SignoffRow(role or "unreadable statement", role,
                        tuple(s for s in result.signoffs if (s.role or "") == role))
             for role in others]
    return rows
