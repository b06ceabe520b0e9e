"""The ui-strings reader: nested JSON i18n, gettext .po (written by polib), Android XML."""

from __future__ import annotations

from pathlib import Path

import pytest

from p0gate.errors import EvidenceError
from p0gate.evidence.ui_strings import UiStrings, UiStringsReader
from tests.bundlekit import blob_of
from tests.conftest import TEST_DATA

STRINGS = TEST_DATA / "strings"


def _read_bytes(data: bytes, path: str) -> UiStrings:
    return UiStringsReader().read(blob_of("ui-strings", path, data, "strings"))


def _read(name: str) -> dict[str, str]:
    got = _read_bytes((STRINGS / name).read_bytes(), f"i18n/{name}")
    return {e.key: e.text for e in got.entries}


def test_nested_json_keys_are_dotted() -> None:
    got = _read("en.json")
    assert got["crisis.call"] == "Call or text 988, or chat at 988lifeline.org"
    assert got["crisis.options.1"] == "Para español, oprima 2"
    assert len(got) == 7


def test_po_entries_keyed_by_context_and_msgid() -> None:
    got = _read_bytes((STRINGS / "es.po").read_bytes(), "i18n/es.po")
    pairs = [(e.key, e.text) for e in got.entries]
    assert ("crisis|Call or text 988", "Llama o envía un mensaje de texto al 988") in pairs
    assert ("He committed suicide", "He committed suicide") in pairs  # untranslated
    assert ("%d day", "%d días") in pairs


def test_po_content_is_never_taken_for_a_file_name(tmp_path: Path) -> None:
    target = tmp_path / "real.po"
    target.write_text('msgid "x"\nmsgstr "from the file"\n')
    with pytest.raises(EvidenceError, match="not a valid gettext") as info:
        _read_bytes(str(target).encode(), "i18n/tricky.po")
    assert "from the file" not in str(info.value)


def test_android_strings_plurals_and_arrays() -> None:
    got = _read("strings.xml")
    assert got["crisis_youth"] == "LGBTQ+ youth can press 3 to reach a counselor"
    assert got["story_intro"] == "It's okay to ask for help"
    assert got["days_streak[other]"] == "%d days of practice"
    assert got["coping.1"] == "A suicidal person needs support"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("broken.po", r"not a valid gettext \.po file: line 6: 'msgstr \"Llama"),
        ("not-resources.xml", "root element is <LinearLayout>"),
    ],
)
def test_broken_files_name_file_and_place(name: str, message: str) -> None:
    with pytest.raises(EvidenceError, match=message) as info:
        _read(name)
    assert f"i18n/{name}" in str(info.value)


@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        (b'{"crisis": {"call": 988}}', "en.json", "key 'crisis.call': '988' is not a string"),
        (b'{"a":' * 500 + b'"x"' + b"}" * 500, "deep.json", "nested deeper than 64 levels"),
        (b"<resources><string>x</string></resources>", "s.xml", "has no name attribute"),
        (b"<resources><string name='a'>x</resources>", "s.xml", "not valid XML"),
        (b'<!DOCTYPE r [<!ENTITY a "b">]><resources/>', "s.xml", "not valid XML"),
        (b"hello", "strings.txt", r"must be \.json, \.po"),
        (b'msgid "a"\nmsgid "b"\nmsgstr "c"\n', "x.po", r"Syntax error in po file \(line 2\)"),
    ],
)
def test_bad_input_is_an_error(data: bytes, path: str, message: str) -> None:
    with pytest.raises(EvidenceError, match=message):
        _read_bytes(data, path)


def test_android_escapes_are_decoded() -> None:
    xml = (b'<resources><string name="a">commit\\u0020suicide</string>'
           b'<string name="b">"It\\\'s \\@home\\tnow\\\\"</string></resources>')
    got = {e.key: e.text for e in _read_bytes(xml, "strings.xml").entries}
    assert got == {"a": "commit suicide", "b": "It's @home\tnow\\"}


def test_po_without_msgctxt_is_keyed_by_msgid_and_keeps_its_source_text() -> None:
    po = (b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
          b'msgid "crisis.call"\nmsgstr "Llama o textea al 988"\n\n'
          b'msgid "He committed suicide"\nmsgstr "Murio por suicidio"\n\n'
          b'msgctxt "crisis"\nmsgid "Untranslated"\nmsgstr ""\n')
    entries = {e.key: e for e in _read_bytes(po, "es.po").entries}
    assert set(entries) == {"crisis.call", "He committed suicide", "crisis|Untranslated"}
    assert entries["He committed suicide"].source == ("He committed suicide",)
    assert entries["crisis|Untranslated"].text == "Untranslated"
    assert entries["crisis|Untranslated"].source == ()
