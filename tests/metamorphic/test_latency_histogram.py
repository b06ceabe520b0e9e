"""Latency histograms, filtered samples and datasets: one slow event never passes.

A histogram of fast events passes `max < 200` and `exceedance >= 200 at rate 0`; the same
histogram with ONE event over 200 ms, written as Prometheus text, OpenMetrics, the HTTP API's
JSON or OTLP, in any bucket layout and any spelling of the numbers, never does. A slow sample
of the filtered endpoint, however its endpoint is spelled, is never filtered away; a slow
sample in any file of a dataset is never missed by either engine.
"""

from __future__ import annotations

import itertools
import json

from hypothesis import strategies as st

from p0gate.checks.exceedance import ExceedanceCheck
from p0gate.checks.statistic import StatisticCheck
from tests.bundlekit import File
from tests.metamorphic.kit import never_passes, passes, respelled, run_relation, spaces

CHECKS = [
    StatisticCheck.model_validate({"type": "statistic", "artifact": "h", "stat": "max",
                                   "lt": 200}),
    ExceedanceCheck.model_validate({"type": "exceedance", "artifact": "h", "threshold": 200,
                                    "max_rate": 0}),
]
FAST = {0.05: 600, 0.1: 1000}  # le in seconds: cumulative counts, all events <= 100 ms


def prometheus_text(counts: dict[float, int], total: int, spell: str, om: bool) -> bytes:
    fmt = {"plain": "{}", "float": "{}.0", "exp": "{:e}"}[spell]
    lines = ["# TYPE t_seconds histogram"]
    lines += [f't_seconds_bucket{{le="{le}"}} {fmt.format(n)}' for le, n in counts.items()]
    lines += [f't_seconds_bucket{{le="+Inf"}} {fmt.format(total)}',
              f"t_seconds_count {fmt.format(total)}"]
    return ("\n".join(lines) + ("\n# EOF\n" if om else "\n")).encode()


def api_json(counts: dict[float, int], total: int) -> bytes:
    result = [{"metric": {"le": str(le)}, "value": [1, str(n)]} for le, n in counts.items()]
    result.append({"metric": {"le": "+Inf"}, "value": [1, str(total)]})
    return json.dumps({"status": "success", "data": {"resultType": "vector",
                                                     "result": result}}).encode()


def otlp(counts: dict[float, int], total: int) -> bytes:
    bounds = list(counts)
    cumulative = [*counts.values(), total]
    per_bucket = [cumulative[0]] + [b - a for a, b in itertools.pairwise(cumulative)]
    point = {"count": str(total), "explicitBounds": bounds,
             "bucketCounts": [str(n) for n in per_bucket]}
    metric = {"name": "t", "unit": "s", "histogram": {"dataPoints": [point],
                                                      "aggregationTemporality": 2}}
    return json.dumps({"resourceMetrics": [{"scopeMetrics": [{"metrics": [metric]}]}]}).encode()


@st.composite
def with_one_slow_event(draw: st.DrawFn) -> bytes:
    """The fast histogram plus one event above 200 ms, in a bucket layout drawn here."""
    slow_bound = draw(st.sampled_from([None, 0.25, 0.5, 10.0]))  # None: only in +Inf
    counts = dict(FAST)
    if draw(st.booleans()):
        counts[0.2] = 1000  # a bucket at the limit, still holding only the fast events
    if slow_bound is not None:
        counts[slow_bound] = 1001
    total = 1001
    writer = draw(st.sampled_from(["text", "openmetrics", "api", "otlp"]))
    if writer == "api":
        return api_json(counts, total)
    if writer == "otlp":
        return otlp(counts, total)
    return prometheus_text(counts, total, draw(st.sampled_from(["plain", "float", "exp"])),
                           writer == "openmetrics")


def test_one_slow_event_in_a_histogram_is_never_hidden() -> None:
    for check in CHECKS:
        passes(check, [File("h", "latency-histogram", "h.prom",
                            prometheus_text(FAST, 1000, "plain", False))])

    def relation(data: object) -> None:
        for check in CHECKS:
            never_passes(check, [File("h", "latency-histogram", "h.txt", data)])  # type: ignore[arg-type]

    run_relation(with_one_slow_event(), relation)


FILTERED = [
    StatisticCheck.model_validate({"type": "statistic", "artifact": "lat", "stat": "max",
                                   "lt": 200, "column": "latency_ms",
                                   "where": {"endpoint": "/api/crisis"}}),
    ExceedanceCheck.model_validate({"type": "exceedance", "artifact": "lat", "threshold": 200,
                                    "max_rate": 0, "column": "latency_ms",
                                    "where": {"endpoint": ["/api/crisis"]}}),
]
ROWS = [("/api/crisis", 20.0), ("/api/sync", 900.0), ("/api/crisis", 40.0)] * 20


@st.composite
def slow_crisis_sample(draw: st.DrawFn) -> list[tuple[str, float]]:
    rows = list(ROWS)
    rows.insert(draw(st.integers(0, len(rows))), (draw(respelled("/api/crisis")), 250.0))
    return rows


def csv_of(rows: list[tuple[str, float]]) -> bytes:
    return ("latency_ms,endpoint\n" + "".join(f'{v},"{e}"\n' for e, v in rows)).encode()


def test_a_slow_sample_of_the_filtered_endpoint_is_never_filtered_away() -> None:
    for check in FILTERED:
        passes(check, [File("lat", "latency-samples", "l.csv", csv_of(ROWS))])

    def relation(rows: object) -> None:
        for check in FILTERED:
            never_passes(check, [File("lat", "latency-samples", "l.csv",
                                      csv_of(rows))])  # type: ignore[arg-type]

    run_relation(slow_crisis_sample(), relation)


def test_a_slow_sample_in_any_file_of_a_dataset_is_never_missed() -> None:
    import tempfile
    from pathlib import Path

    import pytest

    from p0gate.errors import EvidenceError
    from p0gate.evidence import dataset
    from p0gate.outcome import Outcome
    from tests.bundlekit import parquet, run_check, sealed_dataset

    def relation(case: object) -> None:
        where, engine_max = case  # type: ignore[misc]
        files = {f"day={d}/part.parquet": parquet(latency_ms=[20.0, 40.0] * 50)
                 for d in range(3)}
        files[f"day={where}/slow.parquet"] = parquet(latency_ms=[250.0])
        with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as mp:
            mp.setattr(dataset, "NUMPY_MAX_BYTES", engine_max)
            bundle = sealed_dataset(Path(tmp), "lake", files)
            for check in FILTERED:
                plain = check.model_copy(update={"artifact": "lake", "where": {}})
                try:
                    got = run_check(plain, bundle).outcome
                except EvidenceError:
                    got = Outcome.ERROR
                assert got is not Outcome.PASS

    run_relation(st.tuples(st.integers(0, 2), st.sampled_from([0, 1 << 30])), relation)


@st.composite
def slow_event_hidden_by_a_respelled_bound(draw: st.DrawFn) -> bytes:
    """One slow event in (0.1, 0.5] s, and a second line for the 0.1 s bound (spelled
    another way) claiming every event is at or below it: one bound with two counts is never
    resolved to a pass, whichever line comes last."""
    spelling = draw(st.sampled_from(["0.10", "1e-1", " 0.1", "0.1000", "1.0e-01", "0.1 "]))
    body = ['t_seconds_bucket{le="0.1"} 1000', f't_seconds_bucket{{le="{spelling}"}} 1001']
    if draw(st.booleans()):
        body.reverse()
    text = "\n".join(["# TYPE t_seconds histogram", *body, 't_seconds_bucket{le="0.5"} 1001',
                      't_seconds_bucket{le="+Inf"} 1001', "t_seconds_count 1001"])
    return (text + ("\n# EOF\n" if draw(st.booleans()) else "\n")).encode()


def test_a_bound_given_twice_never_hides_the_slow_event() -> None:
    def relation(data: object) -> None:
        for check in CHECKS:
            never_passes(check, [File("h", "latency-histogram", "h.txt", data)])  # type: ignore[arg-type]

    run_relation(slow_event_hidden_by_a_respelled_bound(), relation)


MEAN = StatisticCheck.model_validate({"type": "statistic", "artifact": "h", "stat": "mean",
                                      "lt": 200})


@st.composite
def slow_events_with_an_edited_sum(draw: st.DrawFn) -> bytes:
    """Every event above 200 ms, and a `_sum` (or OTLP `sum`) that would put the mean under
    it: negative, NaN, or smaller than the buckets allow."""
    total_sum = draw(st.sampled_from(["-1", "NaN", "0", "0.5", "1e-9", "-Inf"]))
    if draw(st.booleans()):
        point = {"count": "10", "explicitBounds": [0.2], "bucketCounts": ["0", "10"],
                 "sum": total_sum if total_sum in {"NaN", "-Inf"} else float(total_sum)}
        metric = {"name": "t", "unit": "s", "histogram": {"dataPoints": [point],
                                                          "aggregationTemporality": 2}}
        return json.dumps({"resourceMetrics": [{"scopeMetrics": [{"metrics": [metric]}]}]}
                          ).encode()
    return ("# TYPE t_seconds histogram\nt_seconds_bucket{le=\"0.2\"} 0\n"
            f't_seconds_bucket{{le="+Inf"}} 10\nt_seconds_count 10\nt_seconds_sum {total_sum}\n'
            ).encode()


def test_an_edited_sum_never_makes_slow_events_pass_a_mean() -> None:
    fast = (b"# TYPE t_seconds histogram\nt_seconds_bucket{le=\"0.2\"} 10\n"
            b't_seconds_bucket{le="+Inf"} 10\nt_seconds_count 10\nt_seconds_sum 1.5\n')
    passes(MEAN, [File("h", "latency-histogram", "h.txt", fast)])

    def relation(data: object) -> None:
        never_passes(MEAN, [File("h", "latency-histogram", "h.txt", data)])  # type: ignore[arg-type]

    run_relation(slow_events_with_an_edited_sum(), relation)


@st.composite
def slow_sample_with_its_endpoint_unsaid(draw: st.DrawFn) -> tuple[dict[str, bytes], int]:
    """Fast /api/crisis samples in two files, and one slow sample whose endpoint is not
    said: its cell empty (null, "", spaces) or its whole file without the column. Either
    engine; Parquet or CSV."""
    from tests.bundlekit import parquet

    how = draw(st.sampled_from(["null", "blank", "spaces", "no-column"]))
    fast = [("/api/crisis", 20.0), ("/api/crisis", 40.0)] * 10
    csv = draw(st.booleans()) and how != "null"
    cell = {"blank": "", "spaces": draw(spaces()) or " "}.get(how)

    def table(rows: list[tuple[str | None, float]], with_endpoint: bool = True) -> bytes:
        if csv:
            head = "latency_ms,endpoint\n" if with_endpoint else "latency_ms\n"
            return (head + "".join(f'{v},"{e}"\n' if with_endpoint else f"{v}\n"
                                   for e, v in rows)).encode()
        cols: dict[str, list[object]] = {"latency_ms": [v for _, v in rows]}
        if with_endpoint:
            cols["endpoint"] = [e for e, _ in rows]
        return parquet(**cols)

    ext = "csv" if csv else "parquet"
    files = {f"a.{ext}": table(fast)}
    if how == "no-column":
        files[f"b.{ext}"] = table([(None, 250.0)], with_endpoint=False)
    else:
        files[f"b.{ext}"] = table([*fast, (cell, 250.0)])
    return files, draw(st.sampled_from([0, 1 << 30]))


def test_a_slow_sample_whose_endpoint_is_unsaid_is_never_filtered_away() -> None:
    import tempfile
    from pathlib import Path

    import pytest

    from p0gate.errors import EvidenceError
    from p0gate.evidence import dataset
    from p0gate.outcome import Outcome
    from tests.bundlekit import run_check, sealed_dataset

    def relation(case: object) -> None:
        files, engine_max = case  # type: ignore[misc]
        with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as mp:
            mp.setattr(dataset, "NUMPY_MAX_BYTES", engine_max)
            bundle = sealed_dataset(Path(tmp), "lake", files)
            for check in FILTERED:
                try:
                    got = run_check(check.model_copy(update={"artifact": "lake"}), bundle)
                except EvidenceError:
                    continue
                assert got.outcome is not Outcome.PASS

    run_relation(slow_sample_with_its_endpoint_unsaid(), relation)


RATE = ExceedanceCheck.model_validate({"type": "exceedance", "artifact": "h", "threshold": 200,
                                       "max_rate": 0.0008})


@st.composite
def exports_of_a_cumulative_series(draw: st.DrawFn) -> bytes:
    """1000 fast events, then one slow one (1 in 1001 is over 0.08%), as a collector's file
    exporter writes a CUMULATIVE series: one export per line, each the whole count so far;
    several fast exports before the slow one, in any order, under one resource or one each.
    Adding the lines would dilute the slow event below the limit."""
    fast = json.loads(otlp({0.05: 600, 0.1: 1000}, 1000))
    slow = json.loads(otlp({0.05: 600, 0.1: 1000}, 1001))
    lines = [fast] * draw(st.integers(1, 3)) + [slow]
    lines = draw(st.permutations(lines))
    return ("\n".join(json.dumps(line) for line in lines) + "\n").encode()


def test_a_cumulative_series_exported_line_by_line_is_never_added_up() -> None:
    passes(RATE, [File("h", "latency-histogram", "h.json", otlp({0.05: 600, 0.1: 1000}, 1000))])

    def relation(data: object) -> None:
        never_passes(RATE, [File("h", "latency-histogram", "h.jsonl", data)])  # type: ignore[arg-type]

    run_relation(exports_of_a_cumulative_series(), relation)
