"""What a check may see: the selected artifacts, parsed once per run, and the clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from p0gate.errors import EvidenceError
from p0gate.evidence import reader_for

if TYPE_CHECKING:
    from p0gate.checks.base import CheckParams
    from p0gate.evidence import Registered
    from p0gate.evidence.bundle import Artifact, Blob, Bundle
    from p0gate.evidence.reader import Reader
    from p0gate.outcome import Phase

T = TypeVar("T")


@dataclass
class EvidenceStore:
    """The bundles of one run and every artifact parsed so far (one read per artifact)."""

    bundle: Bundle
    baseline: Bundle | None = None
    _parsed: dict[tuple[int, str], object] = field(default_factory=dict)

    def parse(self, bundle: Bundle, artifact: Artifact) -> object:
        key = (id(bundle), artifact.id)
        if key not in self._parsed:
            ahead = bundle.take_ahead(artifact)
            self._parsed[key] = ahead.result() if ahead else parse_blob(bundle.blob(artifact))
        return self._parsed[key]


def parse_blob(blob: Blob) -> object:
    """The verified artifact parsed by the reader of its kind."""
    reader = reader_for(blob.artifact.kind)
    if reader is None:
        raise EvidenceError(f"artifact {blob.artifact.id!r}: no reader for kind "
                            f"{blob.artifact.kind!r} in this version of p0gate")
    return read_artifact(reader, blob)


def read_artifact(reader: Reader | Registered, blob: Blob) -> object:
    """``reader.read(blob)``, turning the parser failures that hostile files provoke (nesting
    deeper than the interpreter's stack, a CSV field over the csv module's limit) into an
    ``EvidenceError`` naming the artifact, like every other malformed file."""
    import csv

    try:
        return reader.read(blob)
    except (RecursionError, csv.Error) as exc:
        raise EvidenceError(f"artifact {blob.artifact.id!r} ({blob.artifact.path}): cannot "
                            f"parse: {type(exc).__name__}: {str(exc)[:120]}") from None


@dataclass
class CheckContext:
    """One control's view of the run. ``used`` lists the artifacts the check selected."""

    store: EvidenceStore
    now: datetime
    phase: Phase
    pack_dir: Path
    rollout_percent: int | None = None
    trust_dir: Path | None = None
    used: list[Artifact] = field(default_factory=list)

    @property
    def bundle(self) -> Bundle:
        return self.store.bundle

    @property
    def baseline(self) -> Bundle | None:
        return self.store.baseline

    def select(self, params: CheckParams) -> list[Artifact]:
        """The artifacts a check selects: by id, by kind, or by the check's default kind."""
        if params.artifact is not None:
            found = self.bundle.find(params.artifact)
            chosen = [found] if found else []
        else:
            chosen = self.bundle.of_kind(params.kind or params.default_kind or "")
        for artifact in chosen:
            if params.accepts and artifact.kind not in params.accepts:
                raise EvidenceError(f"artifact {artifact.id!r} is {artifact.kind}; a "
                                    f"{params.type} check reads {', '.join(params.accepts)}")
            self.used.append(artifact)
        return chosen

    def read(self, artifact: Artifact, as_type: type[T], *, baseline: bool = False) -> T:
        """The parsed artifact (from the baseline bundle when asked), of the expected type."""
        bundle = self.baseline if baseline else self.bundle
        if bundle is None:
            raise EvidenceError("no baseline bundle was given")
        value = self.store.parse(bundle, artifact)
        if not isinstance(value, as_type):
            raise EvidenceError(f"artifact {artifact.id!r} ({artifact.kind}) cannot be read "
                                f"as {as_type.__name__}")
        return value
