"""Earlier decisions about a release, as ``after:`` and the ``prior-phase`` check see them.

A ``History`` holds gate decisions from trusted places only: rows of the decision ledger and
signed reports whose signature chains to the trust store. Whoever builds it (the runner, the
pack tests) notes what it could not trust, so a NO-GO can say why a prior result was ignored.

A gate counts as passed when the latest decision at that gate, for the same system and
version and not after the evaluation time, is GO; the phase it opened started at the first GO
of that final run of GOs, and a ROLLBACK of the same release since then ends the lifecycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

GATE_DECISIONS = ("GO", "NO-GO")
ROLLBACK = "ROLLBACK"


def stamp(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class PriorDecision:
    """One decision: which release, which gate, what, when and where it was found."""

    system: str
    version: str
    gate: str
    decision: str  # GO, NO-GO, OK or ROLLBACK
    evaluated_at: datetime
    source: str  # e.g. "ledger row 4", "signed report governance/beta.pdf"
    digest: str = ""  # the result's digest


@dataclass(frozen=True)
class PriorCheck:
    """Whether a gate was passed long enough ago, and the sentence that says so."""

    met: bool
    message: str
    decision: PriorDecision | None = None
    age_days: float | None = None


@dataclass(frozen=True)
class History:
    decisions: tuple[PriorDecision, ...] = ()
    notes: tuple[str, ...] = ()  # prior results that were not trusted, and why

    def of(self, system: str, version: str, now: datetime) -> list[PriorDecision]:
        """This release's decisions up to ``now``, oldest first."""
        mine = [d for d in self.decisions
                if (d.system, d.version) == (system, version) and d.evaluated_at <= now]
        return sorted(mine, key=lambda d: d.evaluated_at)

    def passed(self, *, system: str, version: str, gate: str, now: datetime,
               min_days: float = 0) -> PriorCheck:
        """Was ``gate`` GO for this release, at least ``min_days`` before ``now``?"""
        mine = self.of(system, version, now)
        at_gate = [d for d in mine if d.gate == gate and d.decision in GATE_DECISIONS]
        if not at_gate:
            return self._missing(f"no decision at the {gate} gate for {system} {version}")
        last = at_gate[-1]
        if last.decision != "GO":
            return self._missing(f"the last decision at the {gate} gate is {last.decision} "
                                 f"({stamp(last.evaluated_at)}, {last.source})", last)
        opened = _streak_start(at_gate)
        rolled = [d for d in mine
                  if d.decision == ROLLBACK and d.evaluated_at >= opened.evaluated_at]
        if rolled:
            return self._missing(f"{system} {version} was rolled back at "
                                 f"{stamp(rolled[0].evaluated_at)} ({rolled[0].source}) after "
                                 f"its {gate} GO", opened)
        return _aged(opened, gate, now, min_days)

    def _missing(self, why: str, decision: PriorDecision | None = None) -> PriorCheck:
        extra = "; ".join(self.notes)
        return PriorCheck(False, f"{why}; not counted: {extra}" if extra else why, decision)


def _streak_start(at_gate: list[PriorDecision]) -> PriorDecision:
    """The first GO of the final run of GOs (re-evaluations do not restart the clock)."""
    start = at_gate[-1]
    for decision in reversed(at_gate):
        if decision.decision != "GO":
            break
        start = decision
    return start


def _aged(opened: PriorDecision, gate: str, now: datetime, min_days: float) -> PriorCheck:
    age = (now - opened.evaluated_at) / timedelta(days=1)
    when = f"{gate} GO at {stamp(opened.evaluated_at)} ({opened.source})"
    if age < min_days:
        return PriorCheck(False, f"{when} is {age:.4g} days old, {min_days:g} required",
                          opened, age)
    required = f", {min_days:g} required" if min_days else ""
    return PriorCheck(True, f"{when}, {age:.4g} days before{required}", opened, age)
