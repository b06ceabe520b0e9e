"""One base model and one loader for every p0gate/v1 document."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest
from pydantic import Field

from p0gate.documents import API_VERSION, Document, load_document, load_located
from p0gate.errors import InputError


class Note(Document):
    kind: Literal["Note"]
    text: str = Field(min_length=1)


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "note.yaml"
    path.write_text(body)
    return path


def test_a_valid_document_loads(tmp_path: Path) -> None:
    note = load_document(write(tmp_path, "apiVersion: p0gate/v1\nkind: Note\ntext: hi\n"), Note)
    assert (note.apiVersion, note.kind, note.text) == (API_VERSION, "Note", "hi")


@pytest.mark.parametrize(("body", "line", "words"), [
    ("kind: Note\ntext: hi\n", None, "apiVersion"),
    ("apiVersion: p0gate/v2\nkind: Note\ntext: hi\n", 1, "p0gate/v1"),
    ("apiVersion: p0gate/v1\nkind: Note\ntext: hi\nextra: 1\n", 4, "unknown key 'extra'"),
    ("apiVersion: p0gate/v1\nkind: Note\ntext: ''\n", 3, "at least 1 character"),
])
def test_an_invalid_document_names_file_line_and_field(
    tmp_path: Path, body: str, line: int | None, words: str
) -> None:
    with pytest.raises(InputError, match=words) as info:
        load_document(write(tmp_path, body), Note)
    where = info.value.location
    assert where is not None and Path(where.file).name == "note.yaml"
    if line is not None:
        assert where.line == line


def test_text_already_read_is_parsed_as_that_file(tmp_path: Path) -> None:
    path = tmp_path / "not-read.yaml"
    with pytest.raises(InputError, match="unknown key") as info:
        load_document(path, Note, text="apiVersion: p0gate/v1\nkind: Note\ntext: a\nx: 1\n")
    assert info.value.location is not None and info.value.location.file == path


def test_located_documents_name_the_line_of_later_findings(tmp_path: Path) -> None:
    loaded = load_located(write(tmp_path, "apiVersion: p0gate/v1\nkind: Note\n\ntext: hi\n"), Note)
    where = loaded.locate(["text"])
    assert loaded.document.text == "hi" and (where.line, where.field) == (4, "text")
