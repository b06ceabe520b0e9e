from __future__ import annotations

from p0gate.formats.view import (
    evidence_register,
    failing_first,
    gate_line,
    measured_items,
    needing_attention,
    quantity,
    required_items,
    signoff_rows,
    skipped_line,
    source_file,
    unbroken,
)
from p0gate.measures import FRACTION
from p0gate.outcome import Outcome
from p0gate.result import ControlResult, Result


def control(result: Result, cid: str) -> ControlResult:
    return next(c for c in result.controls if c.id == cid)


def test_quantities_carry_their_unit() -> None:
    assert quantity(187.25, "ms") == "187.25 ms"
    assert quantity(0.005, FRACTION) == "0.5%"
    assert quantity(99.95, "%") == "99.95%"
    assert quantity(4.8, "/5") == "4.8/5"
    assert quantity(12, "x") == "12x"
    assert quantity("< 200", "ms") == "< 200 ms"
    assert quantity("phq9", "ms") == "phq9"  # words are not quantities
    assert quantity(3, "") == "3"


def test_measured_and_required_from_units_and_typed_bounds(sample: Result) -> None:
    c = control(sample, "CR-1-LATENCY")
    assert "rate 0.5%" in measured_items(c)
    assert "4000 samples" in measured_items(c)  # the key is its own unit
    assert "rate <= 0.1%" in required_items(c)  # from the typed bound, not "<= 0.001"
    assert "threshold 200 ms" in required_items(c)


def test_every_number_of_a_real_result_has_a_unit(example: Result) -> None:
    for c in example.controls:
        for key, value in (*c.measured.items(), *c.required.items()):
            if isinstance(value, int | float) and not isinstance(value, bool):
                assert c.units.get(key), f"{c.id}: {key} has no unit"


def test_failing_first_then_passes(example: Result) -> None:
    order = [c.outcome for c in failing_first(example)]
    assert Outcome.NOT_APPLICABLE not in order
    first_pass = order.index(Outcome.PASS)
    assert all(o is not Outcome.PASS for o in order[:first_pass])
    assert all(o is Outcome.PASS for o in order[first_pass:])
    attention = needing_attention(example)
    assert [c.outcome for c in attention] == sorted(
        (c.outcome for c in attention), key=[Outcome.ERROR, Outcome.FAIL,
                                             Outcome.INCONCLUSIVE, Outcome.WAIVED].index)


def test_values_keep_their_unit_and_long_names_wrap_at_dots() -> None:
    text = str(unbroken("p99.9 375 ms, rate <= 0.1%, doc.transport.tls_min_version"))
    assert "375\u00a0ms" in text and "&lt;=\u00a00.1%" in text
    assert "doc.<wbr>transport.<wbr>tls_min_version" in text
    assert "&lt;script&gt;" in str(unbroken("<script>"))


def test_signoff_rows_follow_the_pack_authorities(example: Result) -> None:
    rows = signoff_rows(example)
    assert [r.role for r in rows[: len(example.pack.authorities)]] == [
        a.role for a in example.pack.authorities]
    signed = {s.role for r in rows for s in r.statements}
    assert signed == {s.role for s in example.signoffs}


def test_evidence_register_lists_each_artifact_once(example: Result) -> None:
    register = evidence_register(example)
    ids = [e.id for e in register]
    assert len(ids) == len(set(ids))
    used = {e.id for c in example.controls for e in c.evidence}
    assert set(ids) == used
    assert all(e.collected_at for e in register)


def test_source_file_splits_the_line(sample: Result) -> None:
    file, line = source_file(sample.controls[0])
    assert file == "crisis.yaml" and isinstance(line, int)


def test_the_gate_line_says_when_the_gate_is_monitored(sample: Result) -> None:
    assert gate_line(sample) == f"{sample.gate} gate"
    watched = sample.model_copy(update={"mode": "monitor"})
    assert gate_line(watched) == f"{sample.gate} gate, monitoring"
    skipped = sample.counts["not_applicable"]
    assert skipped_line(sample) == f"{skipped} controls do not apply to the {sample.gate} gate."
    assert skipped_line(watched).startswith(f"{skipped} controls are not watched when "
                                            f"monitoring the {sample.gate} gate")
    assert skipped_line(sample.model_copy(update={"counts": {"pass": 1}})) == ""
