"""Evidence bundles and one reader per artifact kind.

``READERS`` is the registry: one line per reader module, naming the kind and the reader
class. A reader module is imported on first use, so opening a bundle (and starting to read
and hash its artifacts) does not wait for every reader's models to be built. The CLI, the
schema and the docs derive the list of kinds from it; a test fails when a reader module is
not registered or a line names the wrong kind.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from p0gate.evidence.bundle import Blob
    from p0gate.evidence.reader import Reader


class Registered:
    """A registry line: the kind and ``module:Class`` of its reader, imported when used."""

    def __init__(self, kind: str, target: str) -> None:
        self.kind = kind
        self.target = target
        self._reader: Reader | None = None

    def load(self) -> Reader:
        if self._reader is None:
            module, name = self.target.split(":")
            self._reader = getattr(import_module(module), name)()
        return self._reader

    @property
    def formats(self) -> str:
        return self.load().formats

    def read(self, blob: Blob) -> object:
        return self.load().read(blob)

    def __repr__(self) -> str:
        return f"Registered({self.kind!r}, {self.target!r})"


READERS: tuple[Registered, ...] = (
    Registered("latency-samples", "p0gate.evidence.latency:LatencyReader"),
    Registered("junit", "p0gate.evidence.junit:JUnitReader"),
    Registered("metrics", "p0gate.evidence.metrics:MetricsReader"),
    Registered("incidents", "p0gate.evidence.incidents:IncidentsReader"),
    Registered("config", "p0gate.evidence.metrics:ConfigReader"),
    Registered("document", "p0gate.evidence.metrics:DocumentReader"),
    Registered("axe", "p0gate.evidence.axe:AxeReader"),
    Registered("assessment-scores", "p0gate.evidence.assessment:AssessmentReader"),
    Registered("ui-strings", "p0gate.evidence.ui_strings:UiStringsReader"),
    Registered("sarif", "p0gate.evidence.sarif:SarifReader"),
    Registered("load-summary", "p0gate.evidence.load_summary:LoadSummaryReader"),
    Registered("signoff", "p0gate.evidence.statement:SignoffReader"),
    Registered("prior-result", "p0gate.evidence.prior_result:PriorResultReader"),
)


def reader_for(kind: str) -> Registered | None:
    return next((r for r in READERS if r.kind == kind), None)
