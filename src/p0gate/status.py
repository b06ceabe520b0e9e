"""`p0gate status`: where each release stands in the pack's lifecycle, from the ledger.

Per system and version: the last decision at every gate (a GO names when the phase it opened
began, and the result digest), the next gate and the earliest time it may be evaluated (its
``after:`` GO plus ``min_days``), and the last monitor decision with its alert levels. A
ROLLBACK sends the release to the gates outside the ``after:`` chain (the pack's
post-rollback validation); a GO there ends the release's lifecycle. Times are the ledger's
``evaluated_at`` (each run's ``--now``), so the same ledger gives the same status.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from p0gate.history import GATE_DECISIONS, ROLLBACK, stamp
from p0gate.result import canonical_json

if TYPE_CHECKING:
    from p0gate.ledger import Entry
    from p0gate.lifecycle import GateDecl, Lifecycle


@dataclass(frozen=True)
class GateState:
    gate: str
    decision: str  # the last decision at the gate
    evaluated_at: str  # for a GO: when the run of GOs it ends began
    result_digest: str
    ledger_row: int


@dataclass(frozen=True)
class MonitorState:
    decision: str  # OK or ROLLBACK
    evaluated_at: str
    gate: str
    alerts: dict[str, str]  # control id: alert level
    ledger_row: int


@dataclass(frozen=True)
class NextGate:
    gate: str
    earliest: str | None  # None: no earlier GO gives a time (the first gate)


@dataclass(frozen=True)
class Release:
    system: str
    version: str
    state: str  # in progress | complete | rolled back | closed
    gates: list[GateState]
    next: list[NextGate]
    monitor: MonitorState | None
    timeline: list[dict[str, str]]  # every row, in time order, for the HTML page


def releases(entries: list[Entry], lifecycle: Lifecycle, *,
             system: str | None = None) -> list[Release]:
    """The status of every release in the ledger (of ``system`` only, when given)."""
    keys = dict.fromkeys((e.system, e.version) for e in entries
                         if system is None or e.system == system)
    return [_release(s, v, [e for e in entries if (e.system, e.version) == (s, v)], lifecycle)
            for s, v in keys]


def _release(system: str, version: str, rows: list[Entry], lifecycle: Lifecycle) -> Release:
    rows = sorted(rows, key=lambda e: (e.evaluated_at, e.seq))
    gates = [g for g in (_gate(name, rows) for name in lifecycle.names) if g is not None]
    passed = {g.gate: g for g in gates if g.decision == "GO"}
    rolled = [e for e in rows if e.decision == ROLLBACK]
    closing = [g for g in _outside(lifecycle) if g.name in passed
               and (not rolled or passed[g.name].evaluated_at >= rolled[-1].evaluated_at)]
    if closing:
        state, upcoming = "closed", []
    elif rolled:
        state = "rolled back"
        upcoming = [NextGate(g.name, rolled[-1].evaluated_at) for g in _outside(lifecycle)]
    else:
        upcoming = _upcoming(lifecycle, passed) if lifecycle.declared else []
        state = "complete" if lifecycle.declared and not upcoming else "in progress"
    return Release(system, version, state, gates, upcoming, _monitor(rows),
                   [_event(e) for e in rows])


def _gate(name: str, rows: list[Entry]) -> GateState | None:
    at_gate = [e for e in rows if e.gate == name and e.decision in GATE_DECISIONS]
    if not at_gate:
        return None
    last = at_gate[-1]
    start = last
    for entry in reversed(at_gate):
        if entry.decision != last.decision or last.decision != "GO":
            break
        start = entry
    return GateState(name, last.decision, start.evaluated_at, last.result_digest, last.seq)


def _outside(lifecycle: Lifecycle) -> list[GateDecl]:
    """Gates outside the ``after:`` chain (no ``after:``, not the first): they follow a
    rollback, not a GO."""
    return [g for i, g in enumerate(lifecycle.gates) if i and g.after is None]


def _upcoming(lifecycle: Lifecycle, passed: dict[str, GateState]) -> list[NextGate]:
    chain = [g for g in lifecycle.next_gates(passed) if g not in _outside(lifecycle)]
    out = []
    for gate in chain:
        earliest = None
        if gate.after is not None:
            began = _time(passed[gate.after.gate].evaluated_at)
            earliest = stamp(began + timedelta(days=gate.after.min_days))
        out.append(NextGate(gate.name, earliest))
    return out


def _monitor(rows: list[Entry]) -> MonitorState | None:
    watched = [e for e in rows if e.decision not in GATE_DECISIONS]
    if not watched:
        return None
    last = watched[-1]
    alerts = dict(pair.split("=", 1) for pair in last.alerts.split(",") if "=" in pair)
    return MonitorState(last.decision, last.evaluated_at, last.gate, alerts, last.seq)


def _event(entry: Entry) -> dict[str, str]:
    kind = "gate" if entry.decision in GATE_DECISIONS else "monitor"
    return {"when": entry.evaluated_at, "kind": kind, "gate": entry.gate,
            "decision": entry.decision, "alerts": entry.alerts, "row": str(entry.seq),
            "result_digest": entry.result_digest}


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def to_json(found: list[Release]) -> bytes:
    """The status as canonical JSON (sorted keys): the same ledger gives the same bytes."""
    data = {"releases": [_plain(r) for r in found]}
    return canonical_json(data) + b"\n"


def _plain(release: Release) -> dict[str, object]:
    data = asdict(release)
    data.pop("timeline")
    return data


def to_html(found: list[Release], *, pack: str) -> bytes:
    """One self-contained page: each release's rollout as a timeline."""
    from p0gate.formats.templating import environment

    page = environment().get_template("status.html.j2").render(releases=found, pack=pack)
    return page.encode("utf-8")
