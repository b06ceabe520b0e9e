"""metrics, config and document: small documents and plain files.

metrics: a JSON or YAML mapping; leaves are addressed by dotted path (``availability.pct``).
config: a JSON or YAML document for ``expr`` checks. document: any file; its size and digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from p0gate.evidence.reader import fail, json_document

if TYPE_CHECKING:
    from p0gate.evidence.bundle import Blob
    from p0gate.yamlio import Json

Leaf = bool | int | float | str | None


@dataclass(frozen=True)
class Metrics:
    values: dict[str, Leaf]

    def get(self, path: str) -> tuple[bool, Leaf]:
        """(found, value) at a dotted path."""
        return (path in self.values), self.values.get(path)


@dataclass(frozen=True)
class ConfigDocument:
    doc: Json


@dataclass(frozen=True)
class Document:
    size: int
    sha256: str


def flatten(value: Json, prefix: str = "") -> dict[str, Leaf]:
    if isinstance(value, dict):
        out: dict[str, Leaf] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else key))
        return out
    if isinstance(value, list):
        out = {}
        for i, item in enumerate(value):
            out.update(flatten(item, f"{prefix}.{i}" if prefix else str(i)))
        return out
    return {prefix: value}


class MetricsReader:
    kind: ClassVar[str] = "metrics"
    formats: ClassVar[str] = "JSON or YAML mapping"

    def read(self, blob: Blob) -> Metrics:
        doc = json_document(blob)
        if not isinstance(doc, dict):
            raise fail(blob, "metrics must be a mapping of names to values")
        return Metrics(flatten(doc))


class ConfigReader:
    kind: ClassVar[str] = "config"
    formats: ClassVar[str] = "JSON or YAML"

    def read(self, blob: Blob) -> ConfigDocument:
        return ConfigDocument(json_document(blob))


class DocumentReader:
    kind: ClassVar[str] = "document"
    formats: ClassVar[str] = "any file"

    def read(self, blob: Blob) -> Document:
        return Document(len(blob.data), blob.artifact.sha256 or "")
