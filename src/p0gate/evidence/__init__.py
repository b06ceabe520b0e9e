"""Evidence bundles and one reader per artifact kind.

``READERS`` is the registry: one line per reader module. The CLI, the schema and the docs
derive the list of kinds from it; a test fails when a reader module is not registered.
"""

from __future__ import annotations

from p0gate.evidence.assessment import AssessmentReader
from p0gate.evidence.axe import AxeReader
from p0gate.evidence.incidents import IncidentsReader
from p0gate.evidence.junit import JUnitReader
from p0gate.evidence.latency import LatencyReader
from p0gate.evidence.load_summary import LoadSummaryReader
from p0gate.evidence.metrics import ConfigReader, DocumentReader, MetricsReader
from p0gate.evidence.prior_result import PriorResultReader
from p0gate.evidence.reader import Reader
from p0gate.evidence.sarif import SarifReader
from p0gate.evidence.signoff import SignoffReader
from p0gate.evidence.ui_strings import UiStringsReader

READERS: tuple[Reader, ...] = (
    LatencyReader(),
    JUnitReader(),
    MetricsReader(),
    IncidentsReader(),
    ConfigReader(),
    DocumentReader(),
    AxeReader(),
    AssessmentReader(),
    UiStringsReader(),
    SarifReader(),
    LoadSummaryReader(),
    SignoffReader(),
    PriorResultReader(),
)


def reader_for(kind: str) -> Reader | None:
    return next((r for r in READERS if r.kind == kind), None)
