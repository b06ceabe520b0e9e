"""Write the histogram fixtures of this folder with the real libraries that produce them.

    .venv/bin/python tests/data/histograms/make_fixtures.py

One set of 2,000 latencies (``samples.csv``, whole microseconds, with ties on the bucket
bounds 100 and 200 ms) is recorded by:
- prometheus_client: ``prometheus.txt`` (text format) and ``openmetrics.txt``, in seconds;
- the OpenTelemetry SDK, encoded to OTLP by opentelemetry-exporter-otlp-proto-common and
  written with protobuf's json_format: ``otlp-exponential.json`` (ms), ``otlp-explicit.json``
  (seconds) and ``otlp-delta.jsonl`` (two DELTA exports, one per line, as the collector's file
  exporter writes them);
- hdrh (HdrHistogram's Python port), in µs: ``hdrh-writer.hlog`` by its log writer (two
  intervals), ``java-style.hlog`` with HdrHistogram-Java's header lines and a first interval
  starting at 0, and ``tagged.hlog`` with two tags.
The Prometheus HTTP API's JSON comes from a real server: ``tests/collect`` captures it
(``prometheus-*.json``) with scripts/start-prometheus.sh; see capture_prometheus.py.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
BOUNDS_MS = (5, 10, 25, 50, 100, 200, 250, 500, 1000, 2500)


def samples_us() -> list[int]:
    rng = np.random.default_rng(20251013)
    values = np.round(rng.lognormal(mean=4.3, sigma=0.7, size=1990) * 1000).astype(int)
    ties = [100_000] * 4 + [200_000] * 6  # exactly on bucket bounds
    return [int(v) for v in values] + ties


def write_samples(values: list[int]) -> None:
    with (HERE / "samples.csv").open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["latency_us"])
        writer.writerows([v] for v in values)


def prometheus(values: list[int]) -> None:
    from prometheus_client import CollectorRegistry, Histogram, generate_latest
    from prometheus_client.openmetrics.exposition import generate_latest as openmetrics

    registry = CollectorRegistry()
    hist = Histogram("crisis_latency_seconds", "Crisis endpoint latency",
                     buckets=[b / 1000 for b in BOUNDS_MS], registry=registry)
    for v in values:
        hist.observe(v / 1_000_000)
    (HERE / "prometheus.txt").write_bytes(_no_created(generate_latest(registry)))
    (HERE / "openmetrics.txt").write_bytes(_no_created(openmetrics(registry)))


def _no_created(text: bytes) -> bytes:
    """Drop the wall-clock ``_created`` lines so the fixture is reproducible."""
    return b"".join(line for line in io.BytesIO(text) if b"_created" not in line)


def otlp(values: list[int]) -> None:
    from google.protobuf import json_format

    exp = _otel_export(values, "ms", exponential=True)
    (HERE / "otlp-exponential.json").write_text(json_format.MessageToJson(exp) + "\n")
    explicit = _otel_export([v / 1_000_000 for v in values], "s", exponential=False)
    (HERE / "otlp-explicit.json").write_text(json_format.MessageToJson(explicit) + "\n")
    half = len(values) // 2
    lines = [json_format.MessageToJson(_otel_export(part, "ms", exponential=True), indent=None)
             for part in (values[:half], values[half:])]
    (HERE / "otlp-delta.jsonl").write_text("".join(line + "\n" for line in lines))


def _otel_export(values: list[int] | list[float], unit: str, *, exponential: bool) -> object:
    from opentelemetry.exporter.otlp.proto.common.metrics_encoder import encode_metrics
    from opentelemetry.sdk.metrics import Histogram, MeterProvider
    from opentelemetry.sdk.metrics.export import AggregationTemporality, InMemoryMetricReader
    from opentelemetry.sdk.metrics.view import (
        ExplicitBucketHistogramAggregation,
        ExponentialBucketHistogramAggregation,
        View,
    )
    from opentelemetry.sdk.resources import Resource

    aggregation = (ExponentialBucketHistogramAggregation(max_size=160) if exponential
                   else ExplicitBucketHistogramAggregation([b / 1000 for b in BOUNDS_MS]))
    reader = InMemoryMetricReader(preferred_temporality={Histogram: AggregationTemporality.DELTA})
    provider = MeterProvider(metric_readers=[reader], resource=Resource({"service.name": "sync"}),
                             views=[View(instrument_name="crisis.latency", aggregation=aggregation)])
    hist = provider.get_meter("p0gate-fixture").create_histogram("crisis.latency", unit=unit)
    for v in values:
        hist.record(v / 1000 if exponential else v)
    request = encode_metrics(reader.get_metrics_data())
    for resource in request.resource_metrics:  # reproducible: fixed timestamps
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                body = metric.exponential_histogram if exponential else metric.histogram
                for point in body.data_points:
                    point.start_time_unix_nano, point.time_unix_nano = 1_760_000_000 * 10**9, \
                        1_760_000_060 * 10**9
    provider.shutdown()
    return request


def hlogs(values: list[int]) -> None:
    from hdrh.histogram import HdrHistogram
    from hdrh.log import HistogramLogWriter

    halves = (values[: len(values) // 2], values[len(values) // 2:])
    parts = []
    for half in halves:
        hist = HdrHistogram(1, 3_600_000_000, 3)
        for v in half:
            hist.record_value(v)
        parts.append(hist)
    with (HERE / "hdrh-writer.hlog").open("w") as handle:
        writer = HistogramLogWriter(handle)
        writer.output_log_format_version()
        writer.output_base_time(1_760_000_000_000)
        writer.output_legend()
        for i, hist in enumerate(parts):
            writer.output_interval_histogram(hist, 1_760_000_000 + 60 * i,
                                             1_760_000_060 + 60 * i)
    payloads = [p.encode().decode() for p in parts]
    maxima = [p.get_max_value() / 1000 for p in parts]
    _java_style(payloads, maxima)
    _tagged(payloads, maxima)


def _java_style(payloads: list[str], maxima: list[float]) -> None:
    """The header HdrHistogram-Java's HistogramLogWriter writes, first interval at 0.000."""
    lines = ["#[Logged with HdrHistogram-compatible writer (p0gate fixture)]",
             "#[Histogram log format version 1.3]",
             "#[StartTime: 1760000000.000 (seconds since epoch), Thu Oct 09 08:53:20 UTC 2025]",
             '"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"']
    lines += [f"{60 * i:.3f},60.000,{m:.3f},{p}"
              for i, (p, m) in enumerate(zip(payloads, maxima, strict=True))]
    (HERE / "java-style.hlog").write_text("\n".join(lines) + "\n")


def _tagged(payloads: list[str], maxima: list[float]) -> None:
    lines = ["#[Histogram log format version 1.3]",
             '"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"']
    lines += [f"Tag={tag},0.000,60.000,{m:.3f},{p}"
              for tag, p, m in zip(("crisis", "sync"), payloads, maxima, strict=True)]
    (HERE / "tagged.hlog").write_text("\n".join(lines) + "\n")


def main() -> None:
    values = samples_us()
    write_samples(values)
    prometheus(values)
    otlp(values)
    hlogs(values)


if __name__ == "__main__":
    main()
