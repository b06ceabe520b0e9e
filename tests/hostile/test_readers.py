"""Every registered reader against junk, invalid UTF-8 and XML entity attacks.

Readers come from the ``READERS`` registry, so readers added later are covered too. A reader
must raise ``EvidenceError`` (the control becomes ``error``), never another exception; only
``document`` accepts any bytes by design.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from p0gate.errors import EvidenceError
from p0gate.evidence import READERS
from p0gate.evidence.bundle import Artifact, Blob
from p0gate.evidence.latency import LatencySamples
from p0gate.evidence.reader import Reader
from p0gate.evidence.store import read_artifact

ANY_BYTES = {"document"}
SUFFIXES: dict[str, list[str]] = {
    "latency-samples": [".csv", ".jsonl", ".parquet"],
    "load-summary": [".csv", ".json"],
    "junit": [".xml"],
    "axe": [".json"],
    "sarif": [".sarif", ".json"],
    "metrics": [".json", ".yaml"],
    "incidents": [".jsonl", ".csv"],
    "assessment-scores": [".csv", ".json"],
    "ui-strings": [".json", ".po", ".xml"],
    "config": [".json", ".yaml"],
    "signoff": [".yaml"],
    "prior-result": [".json", ".pdf"],
}
JUNK = {
    "random": bytes((i * 37 + 11) % 256 for i in range(2048)),
    "invalid-utf8": b"\xff\xfe\xfa\xc3\x28 not text",
    "nul": b"\x00" * 512,
    "truncated-json": b'{"a": [1, 2, {"b": ',
    "deep-json": b"[" * 100_000 + b"]" * 100_000,
    "nan-json": b'{"value": NaN, "other": Infinity}',
    "pdf-header-only": b"%PDF-1.7\n%%EOF\n",
    "gzip": b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03junk",
    "xml-bomb": b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;</l>',
}
XML_ATTACKS = {
    "xxe-file": b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<testsuite><testcase name="&x;"/></testsuite>',
    "xxe-http": b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "http://127.0.0.1:1/x">]>'
    b'<resources><string name="a">&x;</string></resources>',
    "billion-laughs": b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "lol">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
    b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    b'<testsuite><testcase name="&d;"/></testsuite>',
    "external-dtd": b'<?xml version="1.0"?><!DOCTYPE t SYSTEM "http://127.0.0.1:1/t.dtd">'
    b"<testsuite/>",
    "parameter-entity": b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY % p SYSTEM '
    b'"file:///etc/passwd"> %p;]><resources/>',
    "unclosed": b"<testsuite><testcase name='x'>",
    "wrong-root": b"<html><body>hi</body></html>",
}


def blob(kind: str, suffix: str, data: bytes, tmp: Path) -> Blob:
    path = tmp / f"artifact{suffix}"
    path.write_bytes(data)
    artifact = Artifact(
        id="a",
        kind=kind,
        path=path.name,  # type: ignore[arg-type]
        collected_at=datetime(2025, 9, 30, tzinfo=UTC),
    )
    return Blob(artifact, path, data)


def read_fully(reader: Reader, item: Blob) -> object:
    value = read_artifact(reader, item)  # what the evaluator calls
    if isinstance(value, LatencySamples):
        value.column(None)
    return value


def must_refuse(reader: Reader, item: Blob) -> None:
    with pytest.raises(EvidenceError):
        value = read_fully(reader, item)
        pytest.fail(f"{reader.kind} accepted junk as {type(value).__name__}")


# Junk that no reader may accept; other payloads may be valid in some formats (a YAML plain
# scalar is a config document, an empty CSV has no incidents) but must never crash a reader.
MUST_REFUSE = {"random", "invalid-utf8", "gzip"}


READER_SUFFIXES = [
    (r, s) for r in READERS if r.kind not in ANY_BYTES for s in SUFFIXES.get(r.kind, [".json"])
]


@pytest.mark.parametrize("name", sorted(JUNK))
@pytest.mark.parametrize(
    "reader, suffix", READER_SUFFIXES, ids=[f"{r.kind}{s}" for r, s in READER_SUFFIXES]
)
def test_junk(reader: Reader, suffix: str, name: str, tmp_path: Path) -> None:
    item = blob(reader.kind, suffix, JUNK[name], tmp_path)
    if name in MUST_REFUSE:
        must_refuse(reader, item)
        return
    try:
        read_fully(reader, item)
    except EvidenceError as exc:
        assert exc.message.startswith("artifact 'a'"), exc.message


XML_READERS = [r for r in READERS if "XML" in r.formats or "xml" in r.formats]


@pytest.mark.parametrize("name", sorted(XML_ATTACKS))
@pytest.mark.parametrize("reader", XML_READERS, ids=[r.kind for r in XML_READERS])
def test_xml_attacks(reader: Reader, name: str, tmp_path: Path) -> None:
    must_refuse(reader, blob(reader.kind, ".xml", XML_ATTACKS[name], tmp_path))


def test_every_kind_has_a_reader_under_test() -> None:
    covered = {r.kind for r, _ in READER_SUFFIXES} | ANY_BYTES
    assert covered == {r.kind for r in READERS}


@settings(max_examples=25, deadline=None)
@given(data=st.binary(max_size=4096))
def test_fuzzed_bytes_only_raise_evidence_errors(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for reader, suffix in READER_SUFFIXES:
            try:
                read_fully(reader, blob(reader.kind, suffix, data, Path(tmp)))
            except EvidenceError as exc:
                assert exc.message.startswith("artifact 'a'"), exc.message
