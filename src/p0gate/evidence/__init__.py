"""Evidence bundles and one reader per artifact kind.

``READERS`` is the registry and the one place an artifact kind is declared: one line per kind,
naming its reader class and the file-name hints ``bundle init`` guesses it from. The
manifest's allowed kinds (``ArtifactKind``), ``bundle init``'s guesses and the kinds each check
accepts (``kinds_read_by``) derive from it; a test fails when a reader module is not
registered or a line names the wrong kind. A reader module is imported on first use, so
opening a bundle (and starting to read and hash its artifacts) does not wait for every
reader's models to be built.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from p0gate.evidence.bundle import Blob
    from p0gate.evidence.reader import Reader


class Registered:
    """A registry line: the kind, ``module:Class`` of its reader (imported when used), the
    file-name fragments ``bundle init`` recognises it by ("" matches any name), whether the
    artifact holds latencies (it may then name its ``unit``) and whether it may be large (a
    dataset folder, or a file verified by streaming and read out of core)."""

    def __init__(self, kind: str, target: str, *, guesses: tuple[str, ...] = (),
                 latency: bool = False, large: bool = False) -> None:
        self.kind = kind
        self.target = target
        self.guesses = guesses
        self.latency = latency
        self.large = large
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


# In the order `bundle init` tries the guesses: the first line with a matching hint wins.
READERS: tuple[Registered, ...] = (
    Registered("sarif", "p0gate.evidence.sarif:SarifReader", guesses=(".sarif",)),
    Registered("junit", "p0gate.evidence.junit:JUnitReader", guesses=("junit", ".xml")),
    Registered("latency-histogram", "p0gate.evidence.histograms.reader:HistogramReader",
               guesses=(".hlog", "histogram", "otlp"), latency=True),
    Registered("latency-samples", "p0gate.evidence.dataset:LatencyReader",
               guesses=("latency", ".parquet"), latency=True, large=True),
    Registered("load-summary", "p0gate.evidence.load_summary:LoadSummaryReader",
               guesses=("_stats.csv",)),
    Registered("axe", "p0gate.evidence.axe:AxeReader", guesses=("axe",)),
    Registered("incidents", "p0gate.evidence.incidents:IncidentsReader", guesses=("incident",)),
    Registered("metrics", "p0gate.evidence.metrics:MetricsReader", guesses=("metric",)),
    Registered("signoff", "p0gate.evidence.statement:SignoffReader", guesses=("signoff",)),
    Registered("assessment-scores", "p0gate.evidence.assessment:AssessmentReader"),
    Registered("ui-strings", "p0gate.evidence.ui_strings:UiStringsReader"),
    Registered("config", "p0gate.evidence.metrics:ConfigReader"),
    Registered("prior-result", "p0gate.evidence.prior_result:PriorResultReader"),
    Registered("document", "p0gate.evidence.metrics:DocumentReader", guesses=("",)),
)

KINDS: tuple[str, ...] = tuple(r.kind for r in READERS)

if TYPE_CHECKING:
    ArtifactKind = str
else:
    ArtifactKind = Literal[KINDS]


def reader_for(kind: str) -> Registered | None:
    return next((r for r in READERS if r.kind == kind), None)


def kinds_read_by(*readers: type) -> tuple[str, ...]:
    """The kinds whose registered reader is one of ``readers``, in registry order."""
    targets = {f"{r.__module__}:{r.__qualname__}" for r in readers}
    missing = targets - {r.target for r in READERS}
    if missing:
        raise LookupError(f"not in READERS: {', '.join(sorted(missing))}")
    return tuple(r.kind for r in READERS if r.target in targets)


def guess_kind(name: str) -> str:
    """The kind a file name suggests (the first registry line with a hint in the name)."""
    lowered = name.lower()
    return next(r.kind for r in READERS for hint in r.guesses if hint in lowered)
