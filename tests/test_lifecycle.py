"""The lifecycle a pack declares: gates in order, the evidence each judges, after: chains."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from p0gate.errors import InputError, Location
from p0gate.lifecycle import GateDecl, Lifecycle, declared, one_or_many, simple
from p0gate.policy import load_pack
from tests.conftest import POLICIES


def where(path: Sequence[str | int]) -> Location:
    return Location("pack.yaml", field=".".join(map(str, path)))


def gate(name: str, evidence: str, after: str | None = None, percent: int | None = None,
         days: float = 7) -> GateDecl:
    return GateDecl.model_validate({"name": name, "evidence": evidence, "rollout_percent": percent,
                                    "after": {"gate": after, "min_days": days} if after else None})


DEFAULT = load_pack(POLICIES).lifecycle


@pytest.mark.parametrize(("name", "phase", "percent", "ok"), [
    ("beta", "pre-release", None, True), ("beta", "beta", None, False),
    ("production-25", "staging", None, True), ("production-25", "staging", 10, True),
    ("production-50", "production", 25, True), ("production-50", "production", 50, False),
    ("production-50", "production", None, False), ("complete", "production", 100, True),
    ("complete", "production", 75, False), ("post-rollback", "production", None, True),
    ("post-rollback", "production", 50, True), ("post-rollback", "staging", None, False),
])
def test_each_gate_judges_one_phase_at_the_step_before(name: str, phase: str,
                                                       percent: int | None, ok: bool) -> None:
    found = DEFAULT.find(name)
    assert found is not None and (DEFAULT.accepts(found, phase, percent) is None) is ok


@pytest.mark.parametrize(("phase", "percent", "watched"), [
    ("pre-release", None, "beta"), ("beta", None, "staging"), ("staging", None, "production-25"),
    ("production", 25, "production-50"), ("production", 100, "complete"),
    ("production", None, None), ("qa", None, None),
])
def test_monitoring_watches_the_gate_that_will_judge_the_phase(phase: str, percent: int | None,
                                                               watched: str | None) -> None:
    found = DEFAULT.monitored(phase, percent)
    assert (found.name if found else None) == watched


def test_next_gates_follow_after() -> None:
    assert [g.name for g in DEFAULT.next_gates([])] == ["beta"]
    assert [g.name for g in DEFAULT.next_gates(["beta", "staging"])] == ["production-25"]
    assert [g.name for g in DEFAULT.next_gates(DEFAULT.names[:-1])] == []


def test_the_simple_form_accepts_any_evidence_in_first_named_order() -> None:
    found = simple(["staging", "beta", "staging"])
    assert found.names == ("staging", "beta") and not found.declared
    assert found.accepts(found.gates[0], "anything", 5) is None


def test_a_scalar_is_a_one_item_list() -> None:
    assert one_or_many("beta") == ["beta"] and one_or_many(["a"]) == ["a"] and one_or_many(3) == 3


def test_two_chains_and_gates_outside_them_are_fine() -> None:
    found = declared([gate("a", "x"), gate("b", "a", "a"), gate("r", "b"),
                      gate("c", "b", "b")], where)
    assert isinstance(found, Lifecycle) and found.required_percent(found.gates[1]) is None


@given(st.lists(st.integers(min_value=-1, max_value=5), min_size=1, max_size=6))
def test_every_accepted_graph_is_an_ordered_chain(afters: list[int]) -> None:
    names = [f"g{i}" for i in range(len(afters))]
    gates = [gate(n, "x", names[a] if 0 <= a < len(names) else None)
             for n, a in zip(names, afters, strict=True)]
    try:
        found = declared(gates, where)
    except InputError as error:
        assert error.location is not None and "after" in str(error.location)
        return
    named = [g.after.gate for g in found.gates if g.after]
    assert len(named) == len(set(named))  # no fork
    for index, g in enumerate(found.gates):
        if g.after is not None:
            assert found.names.index(g.after.gate) < index
