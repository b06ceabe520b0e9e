"""What readers share: suffixes, UTF-8 text, strict JSON (or safe YAML), located errors."""

import pytest

from p0gate.errors import EvidenceError
from p0gate.evidence.reader import fail, json_document, suffix, text
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
