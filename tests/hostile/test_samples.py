"""Hostile latency samples: NaN, infinities, negatives, junk cells, in CSV, JSON Lines, Parquet."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.hostile.kit import READING, bundle, evaluate, refused

BAD_CELLS = [
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "-Infinity",
    "-1",
    "-0.001",
    "1e400",
    "-1e400",
    "",
    "abc",
    "1;5",
    "null",
    "true",
]
BAD_JSON = [
    "NaN",
    "Infinity",
    "-Infinity",
    "-1",
    "-1e-9",
    "1e400",
    "null",
    '"12"',
    "true",
    "[1]",
    "{}",
]


def _check(work: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes) -> None:
    got = evaluate(capsys, work, bundle(work, {name: data}, None))
    refused(got, READING, work=work)
    if got.code == 1:
        assert {got.outcome(c) for c in READING} <= {"error", "inconclusive"}


@pytest.mark.parametrize("cell", BAD_CELLS)
def test_csv_cells(cell: str, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _check(work, capsys, "latency.csv", f"latency_ms,host\n10,a\n{cell},b\n30,c\n".encode())


@pytest.mark.parametrize("value", BAD_JSON)
def test_json_lines_values(value: str, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = f'{{"latency_ms": 10}}\n{{"latency_ms": {value}}}\n'.encode()
    _check(work, capsys, "latency.jsonl", data)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), -5.0])
def test_parquet_values(value: float, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(pa.table({"latency_ms": [10.0, value, 30.0]}), sink)
    _check(work, capsys, "latency.parquet", sink.getvalue())


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"latency_ms\n",
        b"\n\n\n",
        b"latency_ms,latency_ms\n1,2\n",
        b"a,b\n1\n1,2,3\n",
        b"latency_ms\n" + b"9" * 400 + b"\n",
        b"\xef\xbb\xbflatency_ms\n\xff\xfe\n",
        b'"unterminated\n1\n',
        b"PAR1junkPAR1",
    ],
)
def test_malformed_csv(data: bytes, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _check(work, capsys, "latency.csv", data)


@pytest.mark.parametrize("data", [b"PAR1", b"PAR1" + b"\0" * 64 + b"PAR1", b"not parquet"])
def test_malformed_parquet(data: bytes, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _check(work, capsys, "latency.parquet", data)
