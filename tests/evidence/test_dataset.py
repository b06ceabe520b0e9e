"""Datasets larger than memory: every file verified, numpy and DuckDB give the same answers."""

import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from p0gate.errors import EvidenceError
from p0gate.evidence import dataset_duckdb
from p0gate.evidence.dataset import answer_files, answer_numpy, verify_files
from tests.evidence.test_histogram import true_rank_value

DATA = Path(__file__).resolve().parents[1] / "data" / "dataset"
STATS = ["min", "max", "p50", "p95", "p99", "p99.9", "p0.1", "p100"]
THRESHOLDS = [100.0, 200.0, 250.5]


def sealed() -> list[tuple[str, str]]:
    lines = (DATA / "SHA256SUMS").read_text().splitlines()
    return [(rel, digest) for digest, rel in (line.split("  ") for line in lines)]


def copy(tmp_path: Path) -> Path:
    shutil.copytree(DATA / "crisis", tmp_path / "crisis")
    return tmp_path


def test_the_hive_dataset_answers_exactly_through_both_engines(tmp_path: Path) -> None:
    verified = verify_files(DATA, "crisis", sealed(), "artifact 'lake'")
    by = {e: answer_files(verified, "latency_ms", fmt="parquet", name="lake",
                          thresholds=THRESHOLDS, stats=STATS, engine=e, temp_dir=tmp_path)
          for e in ("numpy", "duckdb")}
    assert by["numpy"].ranks == by["duckdb"].ranks
    assert by["numpy"].below == by["duckdb"].below and by["numpy"].at_most == by["duckdb"].at_most
    values = pq.read_table(DATA / "crisis", columns=["latency_ms"]).column(0).to_numpy()
    assert by["duckdb"].n == values.size == 3000
    assert by["duckdb"].below[200.0] == int((values < 200).sum())
    assert by["duckdb"].at_most[200.0] - by["duckdb"].below[200.0] >= 10  # the ties
    for stat in STATS:
        assert by["duckdb"].ranks[stat] == true_rank_value(values.tolist(), stat)
    assert by["duckdb"].mean == pytest.approx(by["numpy"].mean, rel=1e-12)


def test_csv_files_too() -> None:
    csv = DATA / "crisis.csv"
    from hashlib import sha256

    verified = verify_files(DATA, ".", [(p.name, sha256(p.read_bytes()).hexdigest())
                                         for p in [csv, DATA / "SHA256SUMS",
                                                   DATA / "make_fixtures.py"]]
                            + [(f"crisis/{r}", d) for r, d in sealed()], "csv")
    only_csv = type(verified)(tuple(p for p in verified.paths if p.suffix == ".csv"),
                              tuple(i for p, i in zip(verified.paths, verified.identities,
                                                      strict=True) if p.suffix == ".csv"))
    got = answer_files(only_csv, "latency_ms", fmt="csv", name="csv", thresholds=[200.0],
                       stats=["p99.9"], engine="duckdb")
    assert got.n == 3000 and got.below[200.0] == answer_files(
        only_csv, "latency_ms", fmt="csv", name="csv", thresholds=[200.0], stats=[],
        engine="numpy").below[200.0]


@pytest.mark.parametrize(("change", "needle"), [
    (lambda root: (root / "crisis" / "extra.parquet").write_bytes(b"x"), r"extra \['extra"),
    (lambda root: next((root / "crisis").rglob("*.parquet")).unlink(), r"missing \['day="),
    (lambda root: next((root / "crisis").rglob("*.parquet")).write_bytes(b"PAR1"),
     "sha256 mismatch"),
])
def test_extra_missing_or_changed_files_are_refused(tmp_path: Path, change: object,
                                                    needle: str) -> None:
    root = copy(tmp_path)
    change(root)  # type: ignore[operator]
    with pytest.raises(EvidenceError, match=needle):
        verify_files(root, "crisis", sealed(), "lake")


def test_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    root = copy(tmp_path)
    first = sorted((root / "crisis").rglob("*.parquet"))[0]
    target = tmp_path / "elsewhere.parquet"
    shutil.move(first, target)
    first.symlink_to(target)
    with pytest.raises(EvidenceError, match="not a regular file"):
        verify_files(root, "crisis", sealed(), "lake")


def test_bad_values_are_errors_in_both_engines(tmp_path: Path) -> None:
    from hashlib import sha256

    (tmp_path / "d").mkdir()
    path = tmp_path / "d" / "a.parquet"
    pq.write_table(pa.table({"x": [1.0, None, 3.0]}), path)
    verified = verify_files(tmp_path, "d", [("a.parquet", sha256(path.read_bytes()).hexdigest())],
                            "lake")
    for engine in ("numpy", "duckdb"):
        with pytest.raises(EvidenceError, match="empty, NaN, infinite or negative"):
            answer_files(verified, "x", fmt="parquet", name="lake", thresholds=[1.0],
                         stats=["p50"], engine=engine)
    with pytest.raises(EvidenceError, match="lake: Binder"):
        answer_files(verified, "nope", fmt="parquet", name="lake", thresholds=[], stats=[],
                     engine="duckdb")


values_strategy = st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0, 2.0, 3.25, 199.999, 200.0,
                                            200.0, 1e6]) | st.floats(0, 1e4), min_size=1,
                           max_size=400)


@settings(max_examples=30, deadline=None)
@given(values_strategy, st.lists(st.sampled_from(STATS), min_size=1, max_size=4, unique=True),
       st.booleans())
def test_duckdb_equals_numpy_on_any_samples(tmp_path_factory: pytest.TempPathFactory,
                                            values: list[float], stats: list[str],
                                            force_sort: bool) -> None:
    folder = tmp_path_factory.mktemp("ds")
    half = len(values) // 2
    for i, part in enumerate((values[:half], values[half:])):
        pq.write_table(pa.table({"x": pa.array(part, pa.float64())}), folder / f"{i}.parquet")
    paths = tuple(sorted(folder.glob("*.parquet")))
    widenings = () if force_sort else dataset_duckdb.WIDENINGS
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(dataset_duckdb, "WIDENINGS", widenings)
        got = dataset_duckdb.answer(paths, "x", fmt="parquet", name="p", thresholds=[200.0],
                                    stats=stats)
    want = answer_numpy(np.asarray(values), [200.0], stats)
    assert (got.n, got.below, got.at_most, got.ranks) == (want.n, want.below, want.at_most,
                                                          want.ranks)
    assert got.ranks == {s: true_rank_value(values, s) for s in stats}  # type: ignore[arg-type]


def test_what_quantile_disc_does() -> None:
    """Recorded, not relied on: DuckDB's quantile_disc picks the nearest rank here."""
    con = dataset_duckdb.connect()
    for n in (1, 2, 3, 7, 1000, 2000):
        for q in (0.001, 0.5, 0.999, 1.0):
            got = con.execute(f"SELECT quantile_disc(i, {q}) FROM range(1, {n + 1}) t(i)")
            assert got.fetchone() == (true_rank_value(list(range(1, n + 1)), f"p{q * 100:g}"),)
