"""DuckDB's two passes give numpy's exact answers on any samples: ties, zeros, a bin too
large to fetch, values that span many bins."""

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from p0gate.errors import EvidenceError
from p0gate.evidence import dataset_duckdb as ddb
from p0gate.evidence.dataset import answer_numpy
from p0gate.evidence.histograms.model import rank

STATS = ["min", "max", "p50", "p95", "p99", "p99.9", "p0.1", "p100"]
values_strategy = st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0, 2.0, 3.25, 199.999, 200.0,
                                            200.0, 1e6, 5e-324]) | st.floats(0, 1e12),
                           min_size=1, max_size=400)


def source(folder: Path, values: list[float]) -> ddb.Source:
    half = len(values) // 2
    for i, part in enumerate((values[:half], values[half:])):
        pq.write_table(pa.table({"x": pa.array(part, pa.float64())}), folder / f"{i}.parquet")
    return ddb.Source(tuple(sorted(folder.glob("*.parquet"))), "parquet", "x", "", "p")


@settings(max_examples=40, deadline=None)
@given(values_strategy, st.lists(st.sampled_from(STATS), min_size=1, max_size=4, unique=True),
       st.sampled_from([ddb.FETCH_MAX, 0]))
def test_duckdb_equals_numpy_on_any_samples(tmp_path_factory: pytest.TempPathFactory,
                                            values: list[float], stats: list[str],
                                            fetch_max: int) -> None:
    src = source(tmp_path_factory.mktemp("ds"), values)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ddb, "FETCH_MAX", fetch_max)  # 0: every bin left to DuckDB's sort
        got = ddb.answer(src, [200.0, 0.0, 1e6], [*stats, "mean"])
        without_mean = ddb.answer(src, [200.0], stats)
    want = answer_numpy(np.asarray(values), [200.0, 0.0, 1e6], stats)
    assert (got.n, got.below, got.at_most, got.ranks) == (want.n, want.below, want.at_most,
                                                          want.ranks)
    assert got.ranks == {s: sorted(values)[rank(s, len(values)) - 1] for s in stats}
    assert got.mean == pytest.approx(want.mean, rel=1e-9) and without_mean.mean is None
    r = rank("p50", len(values))
    assert ddb.value_at_rank(src, r) == sorted(values)[r - 1]


def test_the_bins_grow_with_the_value() -> None:
    con = ddb.connect()
    edges = con.execute(f"SELECT v, {ddb.BIN} AS b FROM (SELECT unnest([0.0, 5e-324, 1.0, "
                        "1.0000000000000002, 99.9, 100.0, 1e300, 'inf', 'nan', -1.0]) AS v)"
                        ).fetchall()
    bins = [b for _, b in edges[:7]]
    assert bins == sorted(bins) and [b for _, b in edges[7:]] == [None, None, None]


def test_bad_values_and_unknown_columns_are_errors(tmp_path: Path) -> None:
    pq.write_table(pa.table({"x": [1.0, -2.0]}), tmp_path / "a.parquet")
    src = ddb.Source((tmp_path / "a.parquet",), "parquet", "x", "", "lake")
    with pytest.raises(EvidenceError, match="empty, NaN, infinite or negative"):
        ddb.answer(src, [], ["p50"])
    with pytest.raises(EvidenceError, match="lake: Binder"):
        ddb.answer(ddb.Source(src.paths, "parquet", "nope", "", "lake"), [], [])


def test_describe_and_numeric_types(tmp_path: Path) -> None:
    pq.write_table(pa.table({"x": [1.0], "n": pa.array([1], pa.int32()), "e": ["a"]}),
                   tmp_path / "a.parquet")
    schema = ddb.describe((tmp_path / "a.parquet",), "parquet", "lake")
    assert schema == {"x": "DOUBLE", "n": "INTEGER", "e": "VARCHAR"}
    assert [ddb.is_numeric(t) for t in schema.values()] == [True, True, False]
    assert ddb.is_numeric("DECIMAL(9,3)")


def test_what_quantile_disc_does() -> None:
    """Recorded, not relied on: DuckDB's quantile_disc picks the nearest rank here."""
    con = ddb.connect()
    for n in (1, 2, 3, 7, 1000, 2000):
        for q in (0.001, 0.5, 0.999, 1.0):
            got = con.execute(f"SELECT quantile_disc(i, {q}) FROM range(1, {n + 1}) t(i)")
            assert got.fetchone() == (rank(f"p{q * 100:g}", n),)
