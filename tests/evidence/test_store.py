"""The evidence store: each artifact read, verified and parsed once, also ahead of time."""

from __future__ import annotations

from pathlib import Path

import pytest

from p0gate.errors import EvidenceError
from p0gate.evidence.metrics import Document
from p0gate.evidence.store import EvidenceStore, read_blob
from tests.bundlekit import File, blob_of, make_bundle


def test_an_artifact_is_verified_and_read_once(tmp_path: Path) -> None:
    bundle = make_bundle(tmp_path, [File("a", "document", "d/a.txt", b"hello")])
    art = bundle.manifest.artifacts[0]
    with EvidenceStore() as store:
        first = store.read(bundle, art)
        (tmp_path / "d/a.txt").write_bytes(b"tampered")
        assert store.read(bundle, art) is first
    assert isinstance(first, Document) and first.size == len(b"hello")


def test_an_unreadable_artifact_gives_the_same_error_every_time(tmp_path: Path) -> None:
    bundle = make_bundle(tmp_path, [File("a", "document", "a.txt", b"hello")])
    (tmp_path / "a.txt").write_bytes(b"hellO")
    store = EvidenceStore()
    for _ in range(2):
        with pytest.raises(EvidenceError, match="sha256 mismatch"):
            store.read(bundle, bundle.manifest.artifacts[0])


def test_prefetched_parses_are_the_ones_read(tmp_path: Path) -> None:
    files = [File("a", "document", "a.txt", b"one"), File("b", "document", "b.txt", b"three")]
    bundle = make_bundle(tmp_path, files)
    sealed = bundle.manifest.model_copy(update={"artifacts": [
        a.model_copy(update={"size": len(f.data)})
        for a, f in zip(bundle.manifest.artifacts, files, strict=True)]})
    bundle.manifest = sealed
    with EvidenceStore() as store:
        store.prefetch(bundle, budget=3)  # room for the first artifact only
        first, second = (store.read(bundle, a) for a in sealed.artifacts)
        assert store.read(bundle, sealed.artifacts[0]) is first
    assert isinstance(second, Document) and (first, second) == (
        Document(3, first.sha256), Document(5, second.sha256))


def test_the_same_id_in_two_bundles_is_two_artifacts(tmp_path: Path) -> None:
    one = make_bundle(tmp_path / "one", [File("a", "document", "a.txt", b"1")])
    two = make_bundle(tmp_path / "two", [File("a", "document", "a.txt", b"22")])
    store = EvidenceStore()
    sizes = [store.read(b, b.manifest.artifacts[0]) for b in (one, two)]
    assert sizes == [Document(1, sizes[0].sha256), Document(2, sizes[1].sha256)]  # type: ignore[union-attr]


def test_a_kind_without_reader_is_an_evidence_error() -> None:
    blob = blob_of("document", "a.txt", b"x")
    blob = type(blob)(blob.artifact.model_copy(update={"kind": "spreadsheet"}), blob.file, b"x")
    with pytest.raises(EvidenceError, match="no reader for kind 'spreadsheet'"):
        read_blob(blob)
