"""The one query: written once, transpiled to each engine's dialect, exact in integers."""

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from p0gate.collect.query import build, parse_row, rank_fraction
from p0gate.evidence.dataset import answer_numpy

T0 = datetime(2025, 10, 1, tzinfo=UTC)
THRESHOLDS = (100.0, 200.0)
STATS = ("min", "p50", "p99", "p99.9", "p0.1", "p100", "max")


def test_rank_fractions_are_exact() -> None:
    assert rank_fraction("p99.9") == rank_fraction("p99.90") == Fraction(999, 1000)
    assert rank_fraction("max") == 1 and rank_fraction("min") == 0


def test_the_query_transpiles_to_each_dialect() -> None:
    for dialect, needle in (("postgres", "DIV("), ("spark", " DIV "), ("duckdb", "//"),
                            ("trino", "CAST("), ("bigquery", "DIV(")):
        sql = build(THRESHOLDS, STATS, source="t", column="latency ms", time="ts",
                    dialect=dialect, start=T0, end=T0 + timedelta(days=1))
        assert needle in sql and "ROW_NUMBER() OVER (ORDER BY" in sql
        assert "2025-10-01 00:00:00" in sql and "2025-10-02 00:00:00" in sql


def test_the_source_is_read_in_the_engines_own_dialect() -> None:
    sql = build((), ("p50",), source="`proj.ds.latency`", column="v", time=None,
                dialect="bigquery")
    assert "`proj.ds.latency`" in sql or "proj.ds.latency" in sql


@settings(max_examples=20, deadline=None)
@given(st.lists(st.sampled_from([0.0, 1.0, 1.5, 200.0, 200.0, 99.9]) | st.floats(0, 1e5),
                min_size=0, max_size=60))
def test_duckdb_runs_it_to_numpys_exact_answers(values: list[float]) -> None:
    import duckdb

    con = duckdb.connect()
    con.execute("CREATE TABLE t (x DOUBLE)")
    if values:
        con.executemany("INSERT INTO t VALUES (?)", [(v,) for v in values])
    row = con.execute(build(THRESHOLDS, STATS, source="t", column="x", time=None,
                            dialect="duckdb")).fetchone()
    assert row is not None
    got = parse_row(row, len(THRESHOLDS), len(STATS))
    assert got["n"] == len(values)
    if values:
        want = answer_numpy(np.asarray(values), THRESHOLDS, STATS)
        assert {s: got[f"rank_{j}"] for j, s in enumerate(STATS)} == want.ranks
        assert [got[f"below_{i}"] for i in range(2)] == [want.below[t] for t in THRESHOLDS]


def test_a_row_of_the_wrong_width_is_refused() -> None:
    with pytest.raises(ValueError, match="returned 3 columns, expected 8"):
        parse_row((1, 2, 3), 1, 1)
