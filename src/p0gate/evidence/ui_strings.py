"""ui-strings: user-facing text as nested JSON i18n, gettext ``.po`` or Android ``strings.xml``.

Every string becomes an entry with a key: the dotted path in JSON (``crisis.call.title``),
``msgctxt|msgid`` or, without ``msgctxt``, the msgid in ``.po`` files (the msgstr is the text;
an untranslated entry's text is its msgid; a translated entry keeps its msgid and
msgid_plural as ``source``, the text users of the source language read), and the ``name`` in
``strings.xml`` (``name[quantity]`` for plurals, ``name.N`` for string arrays; Android escapes
such as ``\n``, ``\'`` and ``\u0020`` decoded). Markup and entities stay in the text: the
language check reads it as a person would (``p0gate.textmatch``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from p0gate.evidence.reader import fail, json_document, suffix, text

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from p0gate.evidence.bundle import Blob
    from p0gate.yamlio import Json

MAX_DEPTH = 64


@dataclass(frozen=True)
class UiString:
    key: str
    text: str
    source: tuple[str, ...] = ()  # a translation's source-language text (.po msgid)


@dataclass(frozen=True)
class UiStrings:
    path: str
    entries: tuple[UiString, ...]


class UiStringsReader:
    kind: ClassVar[str] = "ui-strings"
    formats: ClassVar[str] = "JSON i18n (nested), gettext .po, Android strings.xml"

    def read(self, blob: Blob) -> UiStrings:
        ext = suffix(blob)
        if ext == ".json":
            entries = _json(blob, json_document(blob), "")
        elif ext == ".po":
            entries = _po(blob)
        elif ext == ".xml":
            entries = _android(blob)
        else:
            raise fail(blob, "ui strings must be .json, .po or Android strings .xml")
        return UiStrings(blob.artifact.path, tuple(entries))


def _json(blob: Blob, node: Json, key: str, depth: int = 0) -> list[UiString]:
    if depth > MAX_DEPTH:
        raise fail(blob, f"key {key[:80]!r}…: nested deeper than {MAX_DEPTH} levels")
    if isinstance(node, str):
        return [UiString(key, node)]
    if isinstance(node, dict):
        return [
            e
            for k, v in node.items()
            for e in _json(blob, v, f"{key}.{k}" if key else k, depth + 1)
        ]
    if isinstance(node, list):
        return [e for i, v in enumerate(node) for e in _json(blob, v, f"{key}.{i}", depth + 1)]
    raise fail(
        blob,
        f"key {key or '(root)'!r}: {str(node)[:80]!r} is not a string",
        hint="an i18n file holds nested objects whose leaves are strings",
    )


def _po(blob: Blob) -> list[UiString]:
    import polib

    body = text(blob)
    _po_lint(blob, body)
    # polib opens its argument as a file when a file of that name exists: the leading newline
    # makes sure the content is always parsed as content (line numbers shift by one).
    try:
        catalog = polib.pofile("\n" + body, encoding="utf-8")
    except (OSError, ValueError) as exc:
        message = re.sub(r"\(line (\d+)\)", lambda m: f"(line {int(m[1]) - 1})", str(exc))
        raise fail(blob, f"not a valid gettext .po file: {message}") from None
    entries = []
    for entry in catalog:
        if entry.obsolete:
            continue
        key = f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid
        texts = list(entry.msgstr_plural.values()) if entry.msgstr_plural else [entry.msgstr]
        source = tuple(t for t in (entry.msgid, entry.msgid_plural) if t)
        entries += [UiString(key, t, source) if t else UiString(key, entry.msgid, source[1:])
                    for t in texts]
    return entries


_PO_LINE = re.compile(
    r"^\s*(?:#.*|(?:#~\s*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"
    r'"(?:[^"\\]|\\.)*"\s*|)$'
)


def _po_lint(blob: Blob, body: str) -> None:
    """polib forgives an unterminated string by dropping a character: refuse such lines."""
    for number, line in enumerate(body.splitlines(), start=1):
        if not _PO_LINE.match(line):
            raise fail(
                blob,
                f"not a valid gettext .po file: line {number}: {line.strip()[:80]!r}",
                hint="check quotes and keywords (msgctxt, msgid, msgstr); "
                "`msgfmt --check` shows the same problem",
            )


def _android(blob: Blob) -> list[UiString]:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(blob.data)
    except (ParseError, DefusedXmlException) as exc:
        raise fail(blob, f"not valid XML: {exc}") from None
    if root.tag != "resources":
        raise fail(blob, f"root element is <{root.tag}>, an Android strings file has <resources>")
    entries = []
    for element in root:
        name = element.get("name")
        if element.tag in {"string", "plurals", "string-array"} and not name:
            raise fail(blob, f"a <{element.tag}> element has no name attribute")
        entries += _android_entry(element, str(name))
    return entries


def _android_entry(element: Element, name: str) -> list[UiString]:
    if element.tag == "string":
        return [UiString(name, _android_text(element))]
    if element.tag == "plurals":
        return [
            UiString(f"{name}[{item.get('quantity')}]", _android_text(item))
            for item in element
            if item.tag == "item"
        ]
    if element.tag == "string-array":
        items = [item for item in element if item.tag == "item"]
        return [UiString(f"{name}.{i}", _android_text(item)) for i, item in enumerate(items)]
    return []


_ANDROID_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)
_ANDROID_CODES = {"n": "\n", "t": "\t"}


def _android_text(element: Element) -> str:
    raw = "".join(element.itertext()).strip()
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        raw = raw[1:-1]
    return _ANDROID_ESCAPE.sub(_android_unescape, raw)


def _android_unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if len(code) == 5:
        return chr(int(code[1:], 16))
    return _ANDROID_CODES.get(code, code)
