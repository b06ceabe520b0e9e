import io
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from p0gate.errors import EvidenceError
from p0gate.evidence.dataset import LatencyReader
from p0gate.evidence.latency import LatencySamples
from tests.bundlekit import File, make_bundle


def read(tmp_path: Path, name: str, data: bytes) -> LatencySamples:
    bundle = make_bundle(tmp_path, [File("lat", "latency-samples", name, data)])
    return LatencyReader().read(bundle.blob(bundle.manifest.artifacts[0]))


def parquet(**columns: list[float]) -> bytes:
    sink = io.BytesIO()
    pq.write_table(pa.table(columns), sink)
    return sink.getvalue()


@pytest.mark.parametrize(("name", "data"), [
    ("s.csv", b"request,latency_ms\nr1,12.5\nr2,30\nr3,7\n"),
    ("s.jsonl", b"".join(json.dumps({"request": f"r{i}", "latency_ms": v}).encode() + b"\n"
                         for i, v in enumerate([12.5, 30, 7]))),
    ("s.parquet", parquet(latency_ms=[12.5, 30.0, 7.0])),
])
def test_formats_read_into_float_arrays(tmp_path: Path, name: str, data: bytes) -> None:
    samples = read(tmp_path, name, data)
    values = samples.column("latency_ms")
    assert values.dtype == np.float64 and values.tolist() == [12.5, 30.0, 7.0]
    assert samples.column(None).tolist() == [12.5, 30.0, 7.0]  # the only numeric column


@pytest.mark.parametrize(("data", "column", "needle"), [
    (b"latency_ms\n1\nabc\n", "latency_ms", "not numeric"),
    (b"latency_ms\n1\n\n2\nNA\n", "latency_ms", "empty, NA or NaN cells"),
    (b"latency_ms\n1\nnan\n", "latency_ms", "NaN cells .first at data row 2"),
    (b"latency_ms\n1\ninf\n", "latency_ms", "finite"),
    (b"latency_ms\n1\n-4\n", "latency_ms", "negative latency"),
    (b"latency_ms\n1\n", "p99", "no column 'p99'"),
    (b"a,b\n1,2\n", None, "name one with `column`"),
    (b"a,b\n1,\n", "b", "empty, NA or NaN"),
])
def test_bad_samples_are_errors(tmp_path: Path, data: bytes, column: str | None,
                                needle: str) -> None:
    samples = read(tmp_path, "s.csv", data)
    with pytest.raises(EvidenceError, match=needle) as info:
        samples.column(column)
    assert "'lat' (s.csv)" in str(info.value)


def test_unparseable_and_unknown_formats(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match="cannot parse"):
        read(tmp_path / "1", "s.parquet", b"PAR1 not really")
    with pytest.raises(EvidenceError, match=r"\.csv, \.jsonl or \.parquet"):
        read(tmp_path / "2", "s.txt", b"1\n2\n")


def test_empty_column_reads_as_no_samples(tmp_path: Path) -> None:
    samples = read(tmp_path, "s.csv", b"latency_ms\n")
    assert samples.names == ["latency_ms"]
    assert samples.column("latency_ms").size == 0 and samples.column(None).size == 0


@pytest.mark.parametrize("name,data", [
    ("s.csv", b"latency_ms,latency_ms\n1,300\n2,300\n"),
    ("s.csv", b"latency_ms,ep,ep\n300,/a,/c\n2,/c,/c\n"),
])
def test_a_column_given_twice_is_refused(tmp_path: Path, name: str, data: bytes) -> None:
    """Which of two `latency_ms` columns is meant is a guess (it was a crash, exit 70)."""
    with pytest.raises(EvidenceError, match="twice: which one is meant is a guess"):
        read(tmp_path, name, data)


def test_a_blank_line_is_an_empty_cell_only_in_a_one_column_csv(tmp_path: Path) -> None:
    """As DuckDB reads a dataset's CSV files: both engines agree."""
    with pytest.raises(EvidenceError, match=r"empty, NA or NaN cells .first at data row 2"):
        read(tmp_path / "1", "s.csv", b"latency_ms\n1\n\n2\n").column("latency_ms")
    two = read(tmp_path / "2", "s.csv", b"latency_ms,ep\n1,/c\n\n2,/c\n")
    assert two.column("latency_ms").tolist() == [1.0, 2.0]


@pytest.mark.parametrize("data", [b"latency_ms\r\n1\r\n\r\n2\r\n", b"latency_ms\r1\r\r2\r",
                                  b"latency_ms\n1\n\r\n2\n", b"latency_ms\n1\n2\n\n"])
def test_a_blank_line_of_a_one_column_csv_is_seen_whatever_the_line_ends(
        tmp_path: Path, data: bytes) -> None:
    """A file with no blank line is parsed once; every way to write one is still seen."""
    with pytest.raises(EvidenceError, match="empty, NA or NaN cells"):
        read(tmp_path, "s.csv", data).column("latency_ms")


@pytest.mark.parametrize(("name", "data"), [
    ("s.csv", b"latency_ms,ep\n1,/c\n300,\n"),
    ("s.csv", b'latency_ms,ep\n1,/c\n300," "\n'),
    ("s.jsonl", b'{"latency_ms": 1, "ep": "/c"}\n{"latency_ms": 300}\n'),
    ("s.parquet", parquet(latency_ms=[1.0, 300.0], ep=["/c", None])),  # type: ignore[list-item]
])
def test_a_sample_whose_filter_cell_is_empty_is_not_filtered_away(tmp_path: Path, name: str,
                                                                  data: bytes) -> None:
    """The slow sample may be one of /c: dropping it would be a guess toward pass."""
    samples = read(tmp_path, name, data)
    with pytest.raises(EvidenceError, match="'ep' has empty cells"):
        samples.distribution("latency_ms", (("ep", ("/c",)),))
    assert samples.distribution("latency_ms").total == 2  # without `where`, nothing to know


def test_a_column_named_in_seconds_needs_the_unit_seconds(tmp_path: Path) -> None:
    """`latency_s` without `unit` was read as ms: 0.25 s passed `max < 200 ms`."""
    data = b"latency_s\n0.012\n0.25\n"
    with pytest.raises(EvidenceError, match="named in s"):
        read(tmp_path / "1", "s.csv", data).distribution("latency_s")
    bundle = make_bundle(tmp_path / "2", [File("lat", "latency-samples", "s.csv", data)])
    manifest = bundle.root / "manifest.yaml"
    manifest.write_text(manifest.read_text().replace("kind: latency-samples",
                                                     "kind: latency-samples\n  unit: s"))
    from p0gate.evidence.bundle import Bundle, load_manifest

    again = Bundle(bundle.root, *load_manifest(bundle.root))
    found = LatencyReader().read(again.blob(again.manifest.artifacts[0]))
    assert found.distribution(None).at_rank(2).low == 250
