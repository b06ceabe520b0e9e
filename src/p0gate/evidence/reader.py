"""The reader interface and helpers that readers share.

A reader turns one verified ``Blob`` into a typed value; it raises ``EvidenceError`` naming
the artifact, file and, where it can, the line or entry that is wrong.
"""

from __future__ import annotations

import json
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


def json_document(blob: Blob) -> Json:
    """Strict JSON (no NaN/Infinity) or, for .yaml/.yml, p0gate's safe YAML."""
    body = text(blob)
    if suffix(blob) in {".yaml", ".yml"}:
        from p0gate.yamlio import load_yaml

        try:
            return load_yaml(blob.file, text=body)[0]
        except InputError as exc:
            raise fail(blob, exc.message) from None
    try:
        value: Json = json.loads(body, parse_constant=_no_constants)
    except (json.JSONDecodeError, ValueError, RecursionError) as exc:
        raise fail(blob, f"not valid JSON: {exc}") from None
    return value
