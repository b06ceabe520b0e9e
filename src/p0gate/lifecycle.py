"""The lifecycle a pack declares in ``pack.yaml`` (design §1a): authorities, ordered gates with
the phase of evidence each judges, ``after:`` and the escalation path.

Nothing here knows any product: a pack for another system declares its own gates. A pack
without ``gates`` keeps the simple form: every gate name its controls list is a gate, evidence
of any phase is accepted and nothing comes ``after`` anything. ``Lifecycle.check`` refuses a
gate graph that cannot be followed (unknown gates, cycles, gaps), naming file and line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated

from pydantic import BeforeValidator, Field

from p0gate import outcome
from p0gate.documents import Model
from p0gate.errors import InputError, Location
from p0gate.yamlio import worded

WhereFn = Callable[[Sequence[str | int]], Location]
ROLE = worded(outcome.ROLE, outcome.ROLE_WORDS)
NAME = worded(outcome.NAME, outcome.NAME_WORDS)


def one_or_many(value: object) -> object:
    """A natural form in policies: a single name where a list is allowed is a one-item list."""
    return [value] if isinstance(value, str) else value


Names = Annotated[list[Annotated[str, Field(pattern=NAME)]], BeforeValidator(one_or_many)]


class AuthorityDecl(Model):
    """Who owns controls and signs: the reports' sign-off page and summary come from here."""

    id: str = Field(pattern=ROLE, description="what policy sets name as metadata.authority")
    title: str = Field(min_length=1, description="as people write it, e.g. Crisis Authority")
    role: str = Field(pattern=ROLE, description=(
        "the sign-off role of the trust store, e.g. security-authority; a role with the word "
        "`security` in it makes its controls security alerts in SARIF"))
    emergency_rollback: bool = Field(False, description=(
        "an `emergency` alert level on a control of this authority is a rollback trigger"))


class After(Model):
    gate: str = Field(pattern=NAME, description="the gate that must have been GO before")
    min_days: float = Field(0, ge=0, description="days between that GO and this evaluation")


class GateDecl(Model):
    """One decision point, in rollout order."""

    name: str = Field(pattern=NAME, description="the gate, e.g. staging or production-50")
    evidence: str = Field(pattern=NAME, description=(
        "the phase whose evidence this gate judges (the bundle's metadata.phase)"))
    rollout_percent: int | None = Field(None, ge=0, le=100, description=(
        "the rollout step this gate opens; the next gate's evidence carries it"))
    after: After | None = Field(None, description=(
        "a GO of that gate for the same system and version, at least min_days before"))
    description: str | None = None


class EscalationStep(Model):
    to: str = Field(min_length=1, description="who is told, e.g. Crisis Response Team")
    when: str = Field(min_length=1, description="how soon, e.g. Within 5 minutes")


@dataclass(frozen=True)
class Lifecycle:
    """The pack's gates in order (``declared`` is False for the simple form)."""

    gates: tuple[GateDecl, ...]
    declared: bool

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(g.name for g in self.gates)

    def find(self, name: str) -> GateDecl | None:
        return next((g for g in self.gates if g.name == name), None)

    def required_percent(self, gate: GateDecl) -> int | None:
        """The rollout percent the gate's evidence must carry: that of the gate it follows."""
        before = self.find(gate.after.gate) if gate.after else None
        return before.rollout_percent if before is not None else None

    def accepts(self, gate: GateDecl, phase: str | None, percent: int | None) -> str | None:
        """Why evidence of ``phase`` at ``percent`` is not what ``gate`` judges (None: it is)."""
        if not self.declared:
            return None
        if phase != gate.evidence:
            return (f"the {gate.name} gate judges {gate.evidence} evidence; the bundle's "
                    f"metadata.phase is {phase or 'absent'}")
        wanted = self.required_percent(gate)
        if wanted is not None and percent != wanted:
            shown = "absent" if percent is None else f"{percent}"
            return (f"the {gate.name} gate judges the {wanted}% step; the bundle's "
                    f"metadata.rollout_percent is {shown}")
        return None

    def monitored(self, phase: str | None, percent: int | None) -> GateDecl | None:
        """The gate that will judge evidence being collected now: the first in order whose
        evidence matches, skipping gates outside the chain (no ``after:``) but the first."""
        for index, gate in enumerate(self.gates):
            if index and gate.after is None:
                continue
            if self.accepts(gate, phase, percent) is None:
                return gate
        return None

    def next_gates(self, passed: Iterable[str]) -> list[GateDecl]:
        """Gates not yet passed whose ``after:`` gate was passed (or the first gate)."""
        done = set(passed)
        first = self.gates[:1]
        return [g for g in self.gates if g.name not in done
                and ((g.after and g.after.gate in done) or (not done and g in first))]


def simple(names: Iterable[str]) -> Lifecycle:
    """The simple form: each name a gate, any evidence, no ``after``."""
    unique = dict.fromkeys(names)
    return Lifecycle(tuple(GateDecl(name=n, evidence=n) for n in unique), declared=False)


def declared(gates: Sequence[GateDecl], where: WhereFn) -> Lifecycle:
    """The declared lifecycle, its graph checked: names unique, ``after:`` known, acyclic,
    pointing back in order and skipping no gate of the chain."""
    _unique(gates, where)
    names = [g.name for g in gates]
    for index, gate in enumerate(gates):
        if gate.after is not None:
            _check_after(gates, index, names, where)
    return Lifecycle(tuple(gates), declared=True)


def _unique(gates: Sequence[GateDecl], where: WhereFn) -> None:
    seen: set[str] = set()
    for index, gate in enumerate(gates):
        if gate.name in seen:
            raise InputError(f"gate {gate.name!r} is declared twice",
                             location=where(["gates", index, "name"]),
                             hint="each gate name appears once in `gates:`")
        seen.add(gate.name)


def _check_after(gates: Sequence[GateDecl], index: int, names: list[str],
                 where: WhereFn) -> None:
    gate = gates[index]
    assert gate.after is not None
    spot = where(["gates", index, "after", "gate"])
    target = gate.after.gate
    if target not in names:
        raise InputError(f"gate {gate.name}: after: names unknown gate {target!r}",
                         location=spot, hint=f"use one of: {', '.join(names)}")
    cycle = _cycle(gates, gate.name)
    if cycle:
        raise InputError(f"gate {gate.name}: after: forms a cycle ({' -> '.join(cycle)})",
                         location=spot, hint="each gate must follow a gate declared before it")
    before = names.index(target)
    if before > index:
        raise InputError(f"gate {gate.name}: after: names {target}, which is declared later",
                         location=spot, hint="list the gates in rollout order")
    skipped = [g.name for g in gates[before + 1:index] if _chained(gates, g)]
    if skipped:
        raise InputError(f"gate {gate.name}: after: {target} skips {', '.join(skipped)} (a gap "
                         "in the chain)", location=spot,
                         hint=f"follow the gate just before it: after: {{gate: {skipped[-1]}}}")


def _cycle(gates: Sequence[GateDecl], start: str) -> list[str]:
    """The names around a cycle through ``start`` (empty when following ``after:`` ends)."""
    by_name = {g.name: g for g in gates}
    path, current = [start], by_name[start]
    while current.after is not None and current.after.gate in by_name:
        name = current.after.gate
        if name == start:
            return [*path, name]
        if name in path:
            return []  # a cycle elsewhere: reported at its own gate
        path.append(name)
        current = by_name[name]
    return []


def _chained(gates: Sequence[GateDecl], gate: GateDecl) -> bool:
    """Part of an ``after:`` chain: it follows a gate, or a gate follows it."""
    return gate.after is not None or any(g.after and g.after.gate == gate.name for g in gates)
