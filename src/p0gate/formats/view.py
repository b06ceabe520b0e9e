"""What the human-readable formats share: wording, grouping and number formatting.

Everything here is a pure function of the result; nothing reads evidence or policy files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from p0gate.gate import BLOCKING_OUTCOMES
from p0gate.outcome import Outcome, Scalar, fmt

if TYPE_CHECKING:
    from p0gate.result import ControlResult, EvidenceRef, Result

OUTCOMES = tuple(o.value for o in Outcome)
NOT_PASSING = tuple(o for o in Outcome if o in BLOCKING_OUTCOMES)  # fail, inconclusive, error
HIPAA_164_312 = (
    ("164.312(a)(1)", "Access control (standard)", "—"),
    ("164.312(a)(2)(i)", "Unique user identification", "Required"),
    ("164.312(a)(2)(ii)", "Emergency access procedure", "Required"),
    ("164.312(a)(2)(iii)", "Automatic logoff", "Addressable"),
    ("164.312(a)(2)(iv)", "Encryption and decryption (at rest)", "Addressable"),
    ("164.312(b)", "Audit controls", "Required"),
    ("164.312(c)(1)", "Integrity (standard)", "—"),
    ("164.312(c)(2)", "Mechanism to authenticate ePHI", "Addressable"),
    ("164.312(d)", "Person or entity authentication", "Required"),
    ("164.312(e)(1)", "Transmission security (standard)", "—"),
    ("164.312(e)(2)(i)", "Integrity controls in transit", "Addressable"),
    ("164.312(e)(2)(ii)", "Encryption in transit", "Addressable"),
)
SIGNOFF_ROLES = (
    "Deployment Lead",
    "Crisis Authority",
    "Compliance Authority",
    "Clinical Authority",
    "Executive Approval",
)


@dataclass(frozen=True)
class HipaaRow:
    spec: str
    title: str
    kind: str
    controls: tuple[ControlResult, ...]

    @property
    def status(self) -> str:
        """``not covered`` when no control references the spec, else the worst outcome."""
        if not self.controls:
            return "not covered"
        found = {c.outcome for c in self.controls}
        worst = (*NOT_PASSING, Outcome.WAIVED, Outcome.PASS, Outcome.NOT_APPLICABLE)
        return next(o for o in worst if o in found or o is Outcome.NOT_APPLICABLE).value


def value(v: Scalar) -> str:
    return fmt(v) if isinstance(v, int | float) and not isinstance(v, bool) else str(v)


def values(data: dict[str, Scalar]) -> str:
    """``key value, key value`` in the result's order; an em dash when empty."""
    return ", ".join(f"{k} {value(v)}" for k, v in data.items()) or "—"


def label(outcome: str) -> str:
    return outcome.replace("_", " ")


def system_line(result: Result) -> str:
    meta = result.bundle.metadata
    text = f"{meta.get('system')} {meta.get('version')}"
    return f"{text} ({meta['commit']})" if meta.get("commit") else text


def phase_line(result: Result) -> str:
    """The gate decided (the evidence's rollout step is in the bundle's metadata)."""
    return result.gate


def authorities(result: Result) -> list[str]:
    """Authorities in order of first appearance in the pack."""
    return list(dict.fromkeys(c.authority for c in result.controls))


def by_authority(result: Result) -> list[tuple[str, list[ControlResult]]]:
    return [(a, [c for c in result.controls if c.authority == a]) for a in authorities(result)]


def authority_counts(controls: list[ControlResult]) -> dict[str, int]:
    return {o.value: sum(1 for c in controls if c.outcome is o) for o in Outcome}


def not_passing(result: Result) -> list[ControlResult]:
    return [c for c in result.controls if c.outcome in BLOCKING_OUTCOMES]


def counts_line(result: Result) -> str:
    return ", ".join(f"{n} {label(k)}" for k, n in result.counts.items() if n)


def source_file(control: ControlResult) -> tuple[str, int | None]:
    """The policy file (relative to the pack) and line of a control."""
    match = re.fullmatch(r"(.+):(\d+)", control.source)
    if match is None:
        return control.source, None
    return match.group(1), int(match.group(2))


def hipaa_matrix(result: Result) -> list[HipaaRow]:
    """Every 164.312 spec with the controls whose references name it (``hipaa`` framework)."""
    rows = []
    for spec, title, kind in HIPAA_164_312:
        linked = tuple(
            c
            for c in result.controls
            if any(r.framework.lower() == "hipaa" and _covers(r.id, spec) for r in c.references)
        )
        rows.append(HipaaRow(spec, title, kind, linked))
    return rows


def _covers(reference: str, spec: str) -> bool:
    """``164.312(a)(2)(i)`` covers itself; a standard such as ``164.312(b)`` only itself."""
    return reference.replace(" ", "") == spec


def evidence_register(result: Result) -> list[EvidenceRef]:
    """Every artifact any control used, in order of first use."""
    seen: dict[str, EvidenceRef] = {}
    for control in result.controls:
        for ref in control.evidence:
            seen.setdefault(ref.id, ref)
    return list(seen.values())
