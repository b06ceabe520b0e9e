"""Helpers every reader shares: strict JSON."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from p0gate.errors import EvidenceError
from p0gate.evidence.reader import json_document, loads
from tests.bundlekit import blob_of


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
