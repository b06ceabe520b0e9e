"""latency-histogram: each real format is told apart by its content and read in the
artifact's unit; several histograms in one file need a name, never a merge."""

import contextlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from p0gate.errors import EvidenceError
from p0gate.evidence.histograms.reader import HistogramReader, Histograms, sniff
from tests.bundlekit import blob_of

DATA = Path(__file__).resolve().parents[2] / "data" / "histograms"
FORMATS = {"prometheus.txt": "prometheus", "openmetrics.txt": "prometheus",
           "prometheus-query.json": "prometheus", "prometheus-query-range.json": "prometheus",
           "otlp-exponential.json": "otlp", "otlp-explicit.json": "otlp",
           "otlp-delta.jsonl": "otlp", "hdrh-writer.hlog": "hlog", "java-style.hlog": "hlog",
           "tagged.hlog": "hlog"}


def read(name: str, data: bytes | None = None, path: str | None = None,
         unit: str | None = None) -> Histograms:
    blob = blob_of("latency-histogram", path or name,
                   data if data is not None else (DATA / name).read_bytes())
    if unit:
        blob = type(blob)(blob.artifact.model_copy(update={"unit": unit}), blob.file, blob.data)
    return HistogramReader().read(blob)


@pytest.mark.parametrize(("name", "fmt"), sorted(FORMATS.items()))
def test_every_real_format_is_told_apart_and_reads(name: str, fmt: str) -> None:
    found = read(name, unit="us" if fmt == "hlog" else None)
    assert found.format == fmt
    tag = "crisis" if name == "tagged.hlog" else None
    h = found.get(tag)
    grew = name != "prometheus-query-range.json"  # the exporter's counters stood still
    assert (h.total > 0) == grew and h.source == {"prometheus": "prometheus", "otlp": "otlp",
                                        "hlog": "hdrhistogram"}[fmt]
    assert found.get(tag) is h  # parsed once per name


def test_the_same_log_renamed_is_still_an_hlog() -> None:
    data = (DATA / "java-style.hlog").read_bytes()
    assert read("x", data, path="latency.txt").format == "hlog"


def test_several_histograms_need_a_name() -> None:
    with pytest.raises(EvidenceError, match="several tags"):
        read("tagged.hlog", unit="us").get(None)
    with pytest.raises(EvidenceError, match="no interval histograms tagged 'nope'"):
        read("tagged.hlog", unit="us").get("nope")


def test_collected_answers_hold_one_histogram() -> None:
    answers = (b'{"format": "p0gate-exact-answers/1", "unit": "ms", "count": 2, "sum": 3,'
               b' "min": 1, "max": 2, "thresholds": [], "ranks": []}')
    found = read("a.json", answers)
    assert found.format == "answers" and found.get(None).total == 2
    with pytest.raises(EvidenceError, match="names nothing"):
        found.get("latency")


def test_a_unit_the_data_contradicts_is_refused() -> None:
    with pytest.raises(EvidenceError, match="manifest says unit 'ms'"):
        read("prometheus.txt", unit="ms").get(None)


@given(st.binary(max_size=200))
def test_any_bytes_are_read_or_refused_with_an_evidence_error(data: bytes) -> None:
    with contextlib.suppress(EvidenceError):
        read("h.json", data).get(None)


def test_sniff_names_the_format_from_the_content() -> None:
    assert sniff(blob_of("latency-histogram", "h", b'{"resourceMetrics": []}')) == "otlp"
    assert sniff(blob_of("latency-histogram", "h", b'{"status": "success"}')) == "prometheus"
    assert sniff(blob_of("latency-histogram", "h", b"# TYPE x histogram\n")) == "prometheus"
    with pytest.raises(EvidenceError, match="not valid JSON"):
        sniff(blob_of("latency-histogram", "h", b"{oops"))
