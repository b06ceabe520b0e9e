"""statistic over load summaries: one slow row of the endpoint is never a pass."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import strategies as st

from p0gate.checks.base import Outcome
from p0gate.checks.statistic import StatisticCheck
from tests.bundlekit import File
from tests.metamorphic.kit import DATA, never_passes, passes, run_relation

LOCUST = (DATA / "locust" / "run_stats.csv").read_text()
K6 = (DATA / "k6" / "summary-export.json").read_bytes()
CHECK = StatisticCheck.model_validate({"type": "statistic", "artifact": "load",
                                       "column": "crisis", "stat": "p95", "lt": 100})
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", ""]


@st.composite
def slow_locust_row(draw: st.DrawFn) -> bytes:
    """A second row named crisis (another method), slow, anywhere before Aggregated."""
    rows = list(csv.reader(io.StringIO(LOCUST)))
    header, body = rows[0], rows[1:]
    crisis = next(r for r in body if r[1] == "crisis")
    slow = list(crisis)
    slow[0] = draw(st.sampled_from([m for m in METHODS if m != crisis[0]]))
    for i, column in enumerate(header):
        if column.endswith("%"):
            slow[i] = str(draw(st.sampled_from([450, 100, 1200.5])))
    at = draw(st.integers(0, len(body) - 1))  # Aggregated stays last
    body.insert(at, slow)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *body])
    return out.getvalue().encode()


@st.composite
def slow_k6_metric(draw: st.DrawFn) -> bytes:
    """A tagged sub-metric of the crisis endpoint (tags in any order), slow."""
    doc = json.loads(K6)
    tags = draw(st.permutations(["name:crisis", f"method:{draw(st.sampled_from(METHODS[:5]))}",
                                 *draw(st.sets(st.sampled_from(["status:200", "group:::main",
                                                                "scenario:load"]), max_size=2))]))
    doc["metrics"][f"http_req_duration{{{','.join(tags)}}}"] = {
        "avg": 120.0, "min": 40.0, "med": 110.0, "max": 900.0, "p(90)": 300.0,
        "p(95)": draw(st.sampled_from([100, 450.5, 1000])), "p(99)": 800.0}
    items = draw(st.permutations(list(doc["metrics"].items())))
    doc["metrics"] = dict(items)
    return json.dumps(doc).encode()


def test_a_slow_row_of_the_endpoint_is_never_hidden() -> None:
    passes(CHECK, [File("load", "load-summary", "run_stats.csv", LOCUST.encode())])
    passes(CHECK, [File("load", "load-summary", "k6.json", K6)])

    def relation(case: object) -> None:
        locust, data = case  # type: ignore[misc]
        name = "run_stats.csv" if locust else "k6.json"
        got = never_passes(CHECK, [File("load", "load-summary", name, data)])
        assert got is Outcome.FAIL

    run_relation(st.one_of(st.tuples(st.just(True), slow_locust_row()),
                           st.tuples(st.just(False), slow_k6_metric())), relation)


@st.composite
def impossible(draw: st.DrawFn) -> bytes:
    rows = list(csv.reader(io.StringIO(LOCUST)))
    header = rows[0]
    row = draw(st.integers(1, len(rows) - 1))
    column = draw(st.sampled_from([i for i, c in enumerate(header) if c.endswith("%")
                                   or "Time" in c or "Count" in c]))
    rows[row][column] = draw(st.sampled_from(["-1", "NaN", "nan", "inf", "-inf", "1e400",
                                              "-0.5", "Infinity"]))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def test_impossible_numbers_are_never_judged() -> None:
    def relation(data: object) -> None:
        got = never_passes(CHECK, [File("load", "load-summary", "run_stats.csv",
                                        data)])  # type: ignore[arg-type]
        assert got is Outcome.ERROR

    run_relation(impossible(), relation)
