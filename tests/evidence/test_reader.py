"""What readers share: suffixes, UTF-8 text, strict JSON (or safe YAML), located errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from p0gate.errors import EvidenceError
from p0gate.evidence.reader import fail, json_document, loads, suffix, text
from tests.bundlekit import blob_of


@pytest.mark.parametrize(("path", "ext"), [
    ("a/b.JSONL", ".jsonl"), ("x.tar.csv", ".csv"), ("s.sarif", ".sarif"), ("doc.pdf", ""),
    ("c.yml", ".yml")])
def test_suffix(path: str, ext: str) -> None:
    assert suffix(blob_of("config", path, b"")) == ext


def test_text_is_utf8_and_names_the_bad_byte() -> None:
    assert text(blob_of("config", "a.txt", b"\xef\xbb\xbfhi")) == "hi"
    with pytest.raises(EvidenceError, match="not valid UTF-8 at byte 1"):
        text(blob_of("config", "a.txt", b"a\xff"))


def test_json_documents_are_strict_and_yaml_is_safe() -> None:
    assert json_document(blob_of("config", "a.json", b'{"a": [1, 2.5]}')) == {"a": [1, 2.5]}
    assert json_document(blob_of("config", "a.yaml", b"on: yes\n")) == {"on": "yes"}
    with pytest.raises(EvidenceError, match="not a number JSON allows"):
        json_document(blob_of("config", "a.json", b'{"a": NaN}'))
    with pytest.raises(EvidenceError, match="anchors and aliases"):
        json_document(blob_of("config", "a.yaml", b"a: &x 1\nb: *x\n"))


def test_errors_name_the_artifact_and_its_path() -> None:
    error = fail(blob_of("config", "dir/a.json", b"", "cfg"), "broken", hint="fix it")
    assert str(error) == "artifact 'cfg' (dir/a.json): broken\n  hint: fix it"


@pytest.mark.parametrize(("body", "words"), [
    ('{"a": 1, "a": 2}', "duplicate key 'a'"),
    ('[{"x": {"k": 1, "k": 1}}]', "duplicate key 'k'"),
    ('{"a": NaN}', "NaN is not a number"),
    ('{"a": -Infinity}', "-Infinity is not a number"),
    ('{"a": 1e400}', "too large"),
])
def test_strict_json_refuses(body: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        loads(body)


def test_big_integers_stay_exact_and_overlong_ones_are_refused() -> None:
    assert loads("[" + "9" * 400 + "]") == [int("9" * 400)]
    with pytest.raises(ValueError):
        loads("1" * 5000)


def test_json_document_names_the_artifact() -> None:
    with pytest.raises(EvidenceError, match=r"artifact 'x' \(m.json\): not valid JSON: dupl"):
        json_document(blob_of("metrics", "m.json", b'{"a": 1, "a": 1}'))


@given(st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=5))
def test_any_object_without_repeats_round_trips(value: dict[str, object]) -> None:
    import json

    assert loads(json.dumps(value)) == value
