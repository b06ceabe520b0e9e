"""The reader interface and helpers that readers share.

A reader turns one verified ``Blob`` into a typed value; it raises ``EvidenceError`` naming
the artifact, file and, where it can, the line or entry that is wrong.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, ClassVar, Protocol

from p0gate.errors import EvidenceError, InputError

if TYPE_CHECKING:
    from p0gate.evidence.bundle import Blob
    from p0gate.yamlio import Json


class Reader(Protocol):
    """Reads one artifact kind."""

    kind: ClassVar[str]
    formats: ClassVar[str]

    def read(self, blob: Blob) -> object: ...


def fail(blob: Blob, what: str, hint: str | None = None) -> EvidenceError:
    """An error about an artifact, naming its id and path."""
    return EvidenceError(f"artifact {blob.artifact.id!r} ({blob.artifact.path}): {what}",
                         hint=hint)


def suffix(blob: Blob) -> str:
    name = blob.artifact.path.lower()
    for ext in (".jsonl", ".ndjson", ".parquet", ".csv", ".json", ".yaml", ".yml", ".xml",
                ".po", ".sarif"):
        if name.endswith(ext):
            return ext
    return ""


def text(blob: Blob) -> str:
    try:
        return blob.data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(blob, f"not valid UTF-8 at byte {exc.start}") from None


def _no_constants(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite(raw: str) -> float:
    value = float(raw)
    if math.isinf(value):
        raise ValueError(f"{raw[:40]} is too large for a number")
    return value


def _unique_keys(pairs: list[tuple[str, Json]]) -> dict[str, Json]:
    out: dict[str, Json] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key[:80]!r}: parsers disagree on which value holds")
        out[key] = value
    return out


def loads(body: str) -> Json:
    """Strict JSON: no NaN/Infinity, no number beyond float range, no repeated key in an
    object (JSON parsers disagree on which copy wins). ``ValueError`` says what is wrong."""
    value: Json = json.loads(body, parse_constant=_no_constants, parse_float=_finite,
                             object_pairs_hook=_unique_keys)
    return value


def json_document(blob: Blob) -> Json:
    """Strict JSON (see ``loads``) or, for .yaml/.yml, p0gate's safe YAML (which refuses
    repeated keys too)."""
    body = text(blob)
    if suffix(blob) in {".yaml", ".yml"}:
        from p0gate.yamlio import load_yaml

        try:
            return load_yaml(blob.file, text=body)[0]
        except InputError as exc:
            raise fail(blob, exc.message) from None
    try:
        return loads(body)
    except (ValueError, RecursionError) as exc:
        raise fail(blob, f"not valid JSON: {exc}") from None
