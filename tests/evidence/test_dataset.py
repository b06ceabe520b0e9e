"""Sample datasets in a bundle: sealed by `bundle seal`, verified, answered exactly by numpy
when small and by DuckDB when large, with the same results through the checks."""

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from p0gate.checks.exceedance import ExceedanceCheck
from p0gate.checks.regression import RegressionCheck
from p0gate.checks.statistic import StatisticCheck
from p0gate.errors import EvidenceError
from p0gate.evidence import dataset
from p0gate.evidence.dataset import Ask, LatencyDataset
from p0gate.evidence.histograms.model import rank
from p0gate.evidence.store import EvidenceStore
from tests.bundlekit import File, make_bundle, parquet, run_check, sealed_dataset

DATA = Path(__file__).resolve().parents[1] / "data" / "dataset"
STATS = ["min", "max", "p50", "p95", "p99", "p99.9", "p0.1", "p100"]
THRESHOLDS = [Decimal(100), Decimal(200), Decimal("250.5")]


def fixture_files() -> dict[str, bytes]:
    return {p.relative_to(DATA / "crisis").as_posix(): p.read_bytes()
            for p in sorted((DATA / "crisis").rglob("*.parquet"))}


def read(bundle_root: Path, engine: str | None = None) -> LatencyDataset:
    from p0gate.evidence.bundle import Bundle, load_manifest

    bundle = Bundle(bundle_root, *load_manifest(bundle_root))
    found = EvidenceStore().read(bundle, bundle.manifest.artifacts[0])
    assert isinstance(found, LatencyDataset)
    found.engine = engine
    return found


def test_the_hive_dataset_answers_alike_through_both_engines(tmp_path: Path) -> None:
    sealed_dataset(tmp_path, "crisis", fixture_files())
    ask = Ask(tuple(THRESHOLDS), tuple(STATS))
    by = {e: read(tmp_path, e).distribution("latency_ms", (), ask) for e in ("numpy", "duckdb")}
    assert by["numpy"].total == by["duckdb"].total == 3000
    for t in THRESHOLDS:
        for inclusive in (False, True):
            assert by["numpy"].count_below(t, inclusive=inclusive) == \
                by["duckdb"].count_below(t, inclusive=inclusive)
    for stat in STATS:
        r = rank(stat, 3000)
        assert by["numpy"].at_rank(r) == by["duckdb"].at_rank(r)
    ties = by["duckdb"].count_below(Decimal(200), inclusive=True).low - \
        by["duckdb"].count_below(Decimal(200), inclusive=False).low
    assert ties >= 10
    assert float(by["duckdb"].mean().low) == pytest.approx(float(by["numpy"].mean().low),
                                                           rel=1e-12)


def test_a_question_not_asked_in_advance_costs_a_query_not_a_guess(tmp_path: Path) -> None:
    sealed_dataset(tmp_path, "crisis", fixture_files())
    numpy_side = read(tmp_path, "numpy").distribution("latency_ms")
    engine = read(tmp_path, "duckdb").distribution("latency_ms", (), Ask((Decimal(200),), ("p50",)))
    for at in (Decimal("87.5"), Decimal(1000)):
        assert engine.count_below(at, inclusive=False) == numpy_side.count_below(
            at, inclusive=False)
    assert engine.at_rank(1234) == numpy_side.at_rank(1234)


def test_the_checks_decide_alike_through_both_engines(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = sealed_dataset(tmp_path / "now", "crisis", fixture_files())
    base = sealed_dataset(tmp_path / "base", "crisis", fixture_files())
    checks = [
        StatisticCheck.model_validate({"type": "statistic", "artifact": "lake", "stat": s,
                                       "column": "latency_ms",
                                       "lt": 200, "alerts": {"on": "p99", "warning": 150}})
        for s in ("p50", "p99.9", "max", "mean", "count")
    ] + [ExceedanceCheck.model_validate({"type": "exceedance", "artifact": "lake",
                                         "column": "latency_ms", "threshold": 200,
                                         "max_rate": m, "confidence": 0.95})
         for m in (0.001, 0.05)] + [
        RegressionCheck.model_validate({"type": "regression", "artifact": "lake",
                                        "column": "latency_ms", "stat": "p95",
                                        "max_degradation_percent": 5})]
    numpy_side = [run_check(c, bundle, baseline=base) for c in checks]
    monkeypatch.setattr(dataset, "NUMPY_MAX_BYTES", 0)
    duckdb_side = [run_check(c, bundle, baseline=base) for c in checks]
    assert [(r.outcome, r.message, r.measured) for r in numpy_side] == \
        [(r.outcome, r.message, r.measured) for r in duckdb_side]
    assert {r.outcome.value for r in numpy_side} >= {"pass", "fail"}


def test_where_keeps_the_rows_of_an_endpoint_in_both_engines(tmp_path: Path) -> None:
    rows = parquet(latency_ms=[10.0, 20.0, 30.0, 400.0, 500.0],
                   endpoint=["/api/crisis", "/api/crisis", "/api/Crisis ", "/api/sync", "/x "])
    sealed_dataset(tmp_path, "lake", {"a.parquet": rows})
    where = (("endpoint", ("/api/crisis",)),)
    for engine in ("numpy", "duckdb"):
        d = read(tmp_path, engine).distribution("latency_ms", where, Ask((), ("max",)))
        assert d.total == 3 and float(d.at_rank(3).low) == 30.0
        none = read(tmp_path, engine).distribution("latency_ms", (("endpoint", ("/y",)),))
        assert none.total == 0
        with pytest.raises(EvidenceError, match="no column 'path' to filter on"):
            read(tmp_path, engine).distribution("latency_ms", (("path", ("/x",)),))
        with pytest.raises(EvidenceError, match="text or whole numbers"):
            read(tmp_path, engine).distribution("endpoint", (("latency_ms", ("10",)),))


def test_bad_values_are_errors_in_both_engines(tmp_path: Path) -> None:
    sealed_dataset(tmp_path, "d", {"a.parquet": parquet(x=[1.0, None, 3.0])})
    for engine in ("numpy", "duckdb"):
        with pytest.raises(EvidenceError, match=r"empty, N"):
            read(tmp_path, engine).distribution("x", (), Ask((Decimal(1),), ("p50",)))
    with pytest.raises(EvidenceError, match="no column 'nope'"):
        read(tmp_path, "duckdb").distribution("nope")


def test_a_dataset_of_other_files_is_refused(tmp_path: Path) -> None:
    sealed_dataset(tmp_path, "d", {"a.parquet": parquet(x=[1.0]), "_SUCCESS": b""})
    with pytest.raises(EvidenceError, match=r"only \.parquet files .*_SUCCESS"):
        read(tmp_path)


def test_a_large_csv_is_verified_by_streaming_and_read_out_of_core(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from p0gate.evidence import store

    body = (DATA / "crisis.csv").read_bytes()
    make_bundle(tmp_path, [File("lake", "latency-samples", "crisis.csv", body)])
    monkeypatch.setattr(store, "STREAM_BYTES", 1024)
    found = read(tmp_path, "duckdb")
    assert found.fmt == "csv" and found.blob.data == b""
    d = found.distribution("latency_ms", (), Ask((Decimal(200),), ("p99.9",)))
    whole = make_bundle(tmp_path / "w", [File("lake", "latency-samples", "c.csv", body)])
    monkeypatch.setattr(store, "STREAM_BYTES", 10**9)
    samples = EvidenceStore().read(whole, whole.manifest.artifacts[0]).distribution(
        "latency_ms")  # type: ignore[attr-defined]
    assert d.at_rank(rank("p99.9", 3000)) == samples.at_rank(rank("p99.9", 3000))


@settings(max_examples=15, deadline=None)
@given(st.lists(st.floats(0, 1e4, allow_nan=False), min_size=1, max_size=60),
       st.sampled_from(["s", "ms", "us"]))
def test_the_unit_of_a_dataset_is_honoured(tmp_path_factory: pytest.TempPathFactory,
                                           values: list[float], unit: str) -> None:
    root = tmp_path_factory.mktemp("unit")
    sealed_dataset(root, "d", {"a.parquet": parquet(v=values)}, unit=unit)
    a = read(root, "numpy").distribution(None)
    b = read(root, "duckdb").distribution(None, (), Ask((Decimal(200),), ("max",)))
    assert a.at_rank(len(values)) == b.at_rank(len(values))
    assert a.count_below(Decimal(200), inclusive=False) == \
        b.count_below(Decimal(200), inclusive=False)


@pytest.mark.parametrize("files", [
    # the slow sample sits in a file without the filter column: numpy read it as an empty
    # cell and filtered it away (a pass); DuckDB refused the schema mismatch
    {"a.parquet": parquet(latency_ms=[1.0, 2.0], ep=["/c", "/c"]),
     "b.parquet": parquet(latency_ms=[300.0])},
    {"a.parquet": parquet(latency_ms=[1.0]), "b.parquet": parquet(latency_ms=[300.0], ep=["/c"])},
    {"a.parquet": parquet(latency_ms=[1.0], ep=["/c"]),
     "b.parquet": parquet(latency=[300.0], ep=["/c"])},
    # a CSV file whose header is another one (here a value): no rows, so no empty cells
    {"a.csv": b"latency_ms,ep\n1,/c\n", "b.csv": b"300,/c\n"},
])
def test_files_with_other_columns_are_refused_in_both_engines(tmp_path: Path,
                                                              files: dict[str, bytes]) -> None:
    sealed_dataset(tmp_path, "lake", files)
    for engine in ("numpy", "duckdb"):
        with pytest.raises(EvidenceError, match="every file of a dataset has the same columns"):
            read(tmp_path, engine).distribution("latency_ms", (("ep", ("/c",)),),
                                                Ask((), ("max",)))


def test_a_csv_column_given_twice_is_refused_in_both_engines(tmp_path: Path) -> None:
    """DuckDB renamed the second `latency_ms` to `latency_ms_1` and read the first: a pass."""
    sealed_dataset(tmp_path, "lake", {"a.csv": b"latency_ms,latency_ms\n1,300\n2,300\n"})
    for engine in ("numpy", "duckdb"):
        with pytest.raises(EvidenceError, match=r"\['latency_ms'\] twice"):
            read(tmp_path, engine).distribution("latency_ms", (), Ask((), ("max",)))


@pytest.mark.parametrize("files", [
    {"a.parquet": parquet(latency_ms=[1.0, 300.0], ep=["/c", None])},
    {"a.csv": b"latency_ms,ep\n1,/c\n300,\n"},
    {"a.csv": b'latency_ms,ep\n1,/c\n300," "\n'},
])
def test_empty_filter_cells_are_errors_in_both_engines(tmp_path: Path,
                                                       files: dict[str, bytes]) -> None:
    sealed_dataset(tmp_path, "lake", files)
    for engine in ("numpy", "duckdb"):
        with pytest.raises(EvidenceError, match="'ep' has empty cells"):
            read(tmp_path, engine).distribution("latency_ms", (("ep", ("/c",)),),
                                                Ask((), ("max",)))


def test_a_blank_line_of_a_one_column_csv_is_an_empty_cell_in_both_engines(
        tmp_path: Path) -> None:
    sealed_dataset(tmp_path, "lake", {"a.csv": b"latency_ms\n1\n\n2\n"})
    for engine in ("numpy", "duckdb"):
        with pytest.raises(EvidenceError, match="empty"):
            read(tmp_path, engine).distribution("latency_ms", (), Ask((), ("max",)))


def test_a_column_named_in_seconds_needs_the_unit_in_both_engines(tmp_path: Path) -> None:
    sealed_dataset(tmp_path, "lake", {"a.parquet": parquet(latency_s=[0.012, 0.25])})
    for engine in ("numpy", "duckdb"):
        with pytest.raises(EvidenceError, match="named in s"):
            read(tmp_path, engine).distribution("latency_s", (), Ask((), ("max",)))


@pytest.mark.parametrize("data", [b"latency_ms;ep\n1;a\n250;a\n",
                                  b"latency_ms\tep\n1\ta\n250\ta\n"])
def test_a_csv_in_another_dialect_is_refused_by_both_engines(tmp_path: Path,
                                                             data: bytes) -> None:
    """DuckDB sniffed the delimiter and decided, pyarrow read one column: the engines
    disagreed; both read comma-separated CSV now."""
    sealed_dataset(tmp_path, "lake", {"a.csv": data})
    for engine in ("numpy", "duckdb"):
        with pytest.raises(EvidenceError, match="no column 'latency_ms'"):
            read(tmp_path, engine).distribution("latency_ms", (), Ask((), ("max",)))
