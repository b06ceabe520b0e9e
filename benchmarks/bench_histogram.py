"""issue 13: a histogram of 10^12 events evaluates in under 0.3 s (parse and decide, in
process, with and without a confidence bound); the whole `p0gate evaluate` of a bundle
holding it, start-up included, is shown against the 0.5 s start-up budget."""

from __future__ import annotations

from _data import histogram_bundle
from harness import BIN, HERE, Case

NOW = "2025-09-28T12:00:00Z"


def cases() -> list[Case]:
    script = [str(BIN / "python"), str(HERE / "scale_histogram.py")]
    bundle, pack = histogram_bundle()
    evaluate = [str(BIN / "p0gate"), "evaluate", "--evidence", str(bundle), "--policies",
                str(pack), "--phase", "beta", "--now", NOW, "--quiet"]
    return [
        Case("histogram of 10^12 events, parse and decide", script, max_seconds=0.3),
        Case("the same with a 95% confidence bound", [*script, "--confidence"],
             max_seconds=0.3),
        Case("p0gate evaluate of that histogram, whole process (GO)", evaluate,
             max_seconds=0.5),
    ]
