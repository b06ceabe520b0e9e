"""latency-histogram: the reader that tells the formats apart by their content.

HdrHistogram interval logs (``.hlog``, or text whose lines start ``#[`` or hold ``HIST``
payloads), Prometheus' HTTP API JSON (``"status"``), OTLP JSON (``"resourceMetrics"``, one
document or JSON Lines), p0gate's exact answers (``"format": "p0gate-exact-answers/1"``)
and otherwise the Prometheus/OpenMetrics text exposition. A file may hold several
histograms (metrics, HdrHistogram tags): the check's ``column`` names one, and a file with
several and no name is an error, never a merge. Each histogram is parsed once per name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from p0gate.evidence.reader import fail, text

if TYPE_CHECKING:
    from p0gate.evidence.bundle import Blob
    from p0gate.evidence.histograms.model import Histogram


def sniff(blob: Blob) -> str:
    """The format of a histogram file: hlog, prometheus, otlp or answers."""
    body = text(blob).lstrip()
    if blob.artifact.path.lower().endswith(".hlog") or body.startswith(("#[", "\"Start")):
        return "hlog"
    if not body.startswith("{"):
        return "prometheus"
    first = body.split("\n", 1)[0] if "\n" in body else body
    for candidate in (body, first):
        try:
            doc = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(doc, dict):
            return _json_format(doc)
    raise fail(blob, "not valid JSON, nor a Prometheus text exposition")


def _json_format(doc: dict[str, object]) -> str:
    if "resourceMetrics" in doc or "resource_metrics" in doc:
        return "otlp"
    if "format" in doc:
        return "answers"
    return "prometheus"


@dataclass
class Histograms:
    """The histograms of one artifact, parsed on first use by name (None: the only one)."""

    blob: Blob
    format: str
    _parsed: dict[str | None, Histogram] = field(default_factory=dict)

    def get(self, name: str | None) -> Histogram:
        if name not in self._parsed:
            self._parsed[name] = self._parse(name)
        return self._parsed[name]

    def _parse(self, name: str | None) -> Histogram:
        from p0gate.evidence.histograms import answers, hlog, otlp, prometheus

        artifact = self.blob.artifact
        where = f"artifact {artifact.id!r} ({artifact.path})"
        data, unit = self.blob.data, artifact.unit
        if self.format == "hlog":
            return hlog.parse_hlog(data, where, unit=unit, tag=name)
        if self.format == "otlp":
            return otlp.parse_otlp(data, where, unit=unit, metric=name)
        if name is not None and self.format == "answers":
            raise fail(self.blob, f"collected answers hold one histogram: `column: {name}` "
                       "names nothing in them", hint="remove `column` from the check")
        if self.format == "answers":
            return answers.parse_answers(data, where, unit=unit)
        return prometheus.parse_prometheus(data, where, unit=unit, metric=name)


class HistogramReader:
    kind: ClassVar[str] = "latency-histogram"
    formats: ClassVar[str] = ("Prometheus buckets (HTTP API JSON, text/OpenMetrics), "
                              "HdrHistogram .hlog, OTLP JSON, p0gate collect's answers")

    def read(self, blob: Blob) -> Histograms:
        return Histograms(blob, sniff(blob))
