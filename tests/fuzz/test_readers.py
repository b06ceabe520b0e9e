"""Fuzz targets of every reader in ``READERS`` (readers added later are fuzzed too).

Seeds are the example bundles' real artifacts of each kind, mutated; kinds without an example
are fuzzed with raw bytes. A reader returns a value or raises ``EvidenceError``.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from p0gate.errors import EvidenceError
from p0gate.evidence import READERS
from p0gate.evidence.bundle import Artifact, Blob
from p0gate.evidence.latency import LatencySamples
from p0gate.evidence.reader import Reader
from p0gate.evidence.store import read_artifact
from tests.fuzz.corpus import FUZZ, mutated, seeds

SUFFIXES = [".json", ".csv", ".jsonl", ".yaml", ".xml", ".parquet", ".po", ".pdf", ".txt"]


def _inputs(kind: str) -> st.SearchStrategy[tuple[str, bytes]]:
    raw = st.tuples(st.sampled_from(SUFFIXES), st.binary(max_size=2048))
    found = seeds(kind)
    if not found:
        return raw
    seeded = st.sampled_from(found).flatmap(
        lambda pair: st.tuples(st.just(pair[0]), mutated(pair[1]))
    )
    return st.one_of(seeded, seeded, raw)


def _read(reader: Reader, suffix: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"artifact{suffix}"
        path.write_bytes(data)
        artifact = Artifact(
            id="fuzzed",
            kind=reader.kind,
            path=path.name,  # type: ignore[arg-type]
            collected_at=datetime(2025, 9, 30, tzinfo=UTC),
        )
        try:
            value = read_artifact(reader, Blob(artifact, path, data))
            if isinstance(value, LatencySamples):
                for name in value.numeric_names():
                    value.column(name)
        except EvidenceError as exc:
            assert "fuzzed" in exc.message


@pytest.mark.parametrize("reader", READERS, ids=[r.kind for r in READERS])
def test_fuzz_reader(reader: Reader) -> None:
    @FUZZ
    @given(_inputs(reader.kind))
    def target(case: tuple[str, bytes]) -> None:
        _read(reader, *case)

    target()
