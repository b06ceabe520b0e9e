"""statistic and exceedance over latency samples: one slow sample never passes `max`."""

from __future__ import annotations

import json

from hypothesis import strategies as st

from p0gate.checks.exceedance import ExceedanceCheck
from p0gate.checks.statistic import StatisticCheck
from tests.bundlekit import File
from tests.metamorphic.kit import EXAMPLE, never_passes, passes, run_relation

LINES = (EXAMPLE / "crisis" / "latency.csv").read_text().splitlines()[:2001]
CHECKS = [
    StatisticCheck.model_validate({"type": "statistic", "artifact": "lat",
                                   "column": "latency_ms", "stat": "max", "lt": 200}),
    ExceedanceCheck.model_validate({"type": "exceedance", "artifact": "lat",
                                    "column": "latency_ms", "threshold": 200, "max_rate": 0}),
]
SLOW = ["250", "250.0", "2.5e2", "2.5E+2", " 250 ", "0250", "1e300", "inf", "nan", "-1",
        '"250"', ""]


@st.composite
def with_slow_sample(draw: st.DrawFn) -> tuple[str, bytes]:
    rows = [line.split(",") for line in LINES[1:]]
    at = draw(st.integers(0, len(rows)))
    value = draw(st.sampled_from(SLOW))
    rows.insert(at, ["r-slow", value])
    if draw(st.booleans()):
        body = "\n".join([LINES[0], *(",".join(r) for r in rows)]) + "\n"
        return "lat.csv", body.encode()
    records = []
    for request, raw in rows:
        cell = raw.strip().strip('"')
        try:
            number = json.loads(cell) if cell not in {"inf", "nan"} else cell
        except ValueError:
            number = cell
        records.append(json.dumps({"request_id": request, "latency_ms": number}))
    return "lat.jsonl", ("\n".join(records) + "\n").encode()


def test_a_slow_sample_is_never_hidden() -> None:
    base = ("\n".join(LINES) + "\n").encode()
    for check in CHECKS:
        passes(check, [File("lat", "latency-samples", "lat.csv", base)])

    def relation(case: object) -> None:
        name, data = case  # type: ignore[misc]
        for check in CHECKS:
            never_passes(check, [File("lat", "latency-samples", name, data)])

    run_relation(with_slow_sample(), relation)


@st.composite
def seconds_named_in_the_column(draw: st.DrawFn) -> tuple[str, bytes]:
    """Samples in seconds (0.012 .. 0.25: one slow) in a column whose name says seconds,
    in a manifest without `unit`: read as ms they were all far under 200."""
    name = draw(st.sampled_from(["latency_s", "latency_seconds", "duration_sec",
                                 "Latency (s)", "rt.secs", "latency_second"]))
    values = [0.012, 0.04, 0.02] * 20
    values.insert(draw(st.integers(0, len(values))), 0.25)
    body = f'"{name}"\n' + "".join(f"{v}\n" for v in values)
    return name, body.encode()


def test_seconds_named_in_the_column_are_never_read_as_ms() -> None:
    def relation(case: object) -> None:
        name, data = case  # type: ignore[misc]
        for check in CHECKS:
            named = check.model_copy(update={"column": name})
            never_passes(named, [File("lat", "latency-samples", "lat.csv", data)])

    run_relation(seconds_named_in_the_column(), relation)
