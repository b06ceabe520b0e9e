"""What the histogram parsers share: units from names and words, exact counts and bounds."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from p0gate.errors import EvidenceError
from p0gate.evidence.histograms.source import (
    bound_value,
    column_unit,
    count_value,
    pick,
    resolve_unit,
    unit_of_metric,
    unit_word,
)


def test_units_from_metric_names_and_unit_words() -> None:
    assert unit_of_metric("crisis_latency_seconds_bucket") == "s"
    assert unit_of_metric("rpc_duration_milliseconds") == "ms"
    assert unit_of_metric("requests_total") is None
    assert [unit_word(w) for w in ("s", "Seconds", " ms ", "us", "By")] == \
        ["s", "s", "ms", "us", None]


def test_the_manifest_unit_must_agree_with_the_data() -> None:
    assert resolve_unit("a", None, {"s"}) == "s"
    assert resolve_unit("a", "us", set()) == "us" and resolve_unit("a", None, set()) == "ms"
    with pytest.raises(EvidenceError, match="manifest says unit 'ms' but the data is in 's'"):
        resolve_unit("a", "ms", {"s"})
    with pytest.raises(EvidenceError, match="conflicting units"):
        resolve_unit("a", None, {"s", "ms"})
    with pytest.raises(EvidenceError, match="unknown unit 'min'"):
        resolve_unit("a", "min", set())


@given(st.integers(0, 10**15))
def test_whole_counts_are_exact_as_text_int_or_float(n: int) -> None:
    assert count_value("a", str(n), "x") == n and count_value("a", n, "x") == n
    if n <= 2**53:
        assert count_value("a", float(n), "x") == n


@pytest.mark.parametrize("raw", [1.5, "2.5", -1, "nan", "inf", True, None, [1], 2.0**60])
def test_anything_but_a_whole_non_negative_count_is_refused(raw: object) -> None:
    with pytest.raises(EvidenceError):
        count_value("a", raw, "bucket")


def test_bounds_are_exact_decimals() -> None:
    assert bound_value("a", "0.2", "le") == Decimal("0.2")
    assert bound_value("a", "+Inf", "le") == Decimal("Infinity")
    for raw in ("NaN", "abc"):
        with pytest.raises(EvidenceError):
            bound_value("a", raw, "le")


def test_a_name_is_picked_folded_and_two_alike_are_refused() -> None:
    assert pick(["lat", "other"], "LAT ", "metric", "f") == "lat"
    assert pick(["lat"], "nope", "metric", "f") is None and pick(["a"], None, "tag", "f") is None
    with pytest.raises(EvidenceError, match=r"tags \['A', 'A '\] are spelled alike"):
        pick(["A", "A ", "B"], "A", "tag", "f")


@pytest.mark.parametrize(("name", "unit"), [
    ("latency_s", "s"), ("rpc_latency_sec_bucket", "s"), ("Latency (s)", "s"),
    ("duration.seconds", "s"), ("latency_ms", "ms"), ("t_millis", "ms"), ("rt_usec", "us"),
    ("latency_us", "us"), ("x-nanos", "ns"), ("latency", None), ("status", None),
    ("requests", None), ("p99", None),
])
def test_the_unit_a_name_declares(name: str, unit: str | None) -> None:
    assert unit_of_metric(name) == unit


def test_a_column_named_in_another_unit_than_the_artifact_is_refused() -> None:
    assert column_unit("latency_ms", None, "a") == "ms"
    assert column_unit("latency_s", "s", "a") == "s" and column_unit("lat", "us", "a") == "us"
    with pytest.raises(EvidenceError, match=r"named in s, the artifact has no `unit`"):
        column_unit("latency_s", None, "a")
    with pytest.raises(EvidenceError, match=r"named in us, the artifact has `unit: ms`"):
        column_unit("latency_us", "ms", "a")
