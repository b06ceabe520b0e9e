"""metrics, config and document: small documents and plain files.

metrics: a JSON or YAML mapping; leaves are addressed by dotted path (``availability.pct``).
A key that itself holds a dot may name the same path as a nested one (``{"a.b": 1, "a": {"b":
2}}``): which value ``a.b`` means would be a guess, so such a file (metrics or config) is
invalid. Repeated keys are refused in JSON as in YAML.
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
    """Leaves by dotted path; ``ValueError`` when two leaves have the same path."""
    out: dict[str, Leaf] = {}
    _flatten(value, prefix, out)
    return out


def _flatten(value: Json, prefix: str, out: dict[str, Leaf]) -> None:
    if isinstance(value, dict | list):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), out)
        return
    if prefix in out:
        raise ValueError(f"two values have the dotted path {prefix[:120]!r} (a key holding a "
                         "dot and a nested key): which one is meant is ambiguous")
    out[prefix] = value


class MetricsReader:
    kind: ClassVar[str] = "metrics"
    formats: ClassVar[str] = "JSON or YAML mapping"

    def read(self, blob: Blob) -> Metrics:
        doc = json_document(blob)
        if not isinstance(doc, dict):
            raise fail(blob, "metrics must be a mapping of names to values")
        try:
            return Metrics(flatten(doc))
        except ValueError as exc:
            raise fail(blob, str(exc), hint="write each value once, nested or dotted") from None


class ConfigReader:
    kind: ClassVar[str] = "config"
    formats: ClassVar[str] = "JSON or YAML"

    def read(self, blob: Blob) -> ConfigDocument:
        doc = json_document(blob)
        try:
            flatten(doc)  # the same dotted path twice is as ambiguous here as in metrics
        except ValueError as exc:
            raise fail(blob, str(exc), hint="write each value once, nested or dotted") from None
        return ConfigDocument(doc)


class DocumentReader:
    kind: ClassVar[str] = "document"
    formats: ClassVar[str] = "any file"

    def read(self, blob: Blob) -> Document:
        return Document(len(blob.data), blob.artifact.sha256 or "")
