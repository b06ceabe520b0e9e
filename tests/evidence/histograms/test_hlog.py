"""HdrHistogram interval logs written by hdrh, in the Java writer's layout, and tagged."""

from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from p0gate.errors import EvidenceError
from p0gate.evidence.histograms.decide import compare
from p0gate.evidence.histograms.hlog import parse_hlog
from p0gate.evidence.histograms.model import count_below, percentile
from tests.evidence.histograms.test_model import true_rank_value

DATA = Path(__file__).resolve().parents[2] / "data" / "histograms"


def samples_us() -> np.ndarray:
    return np.loadtxt(DATA / "samples.csv", skiprows=1, dtype=np.int64)


@pytest.mark.parametrize("name", ["hdrh-writer.hlog", "java-style.hlog"])
def test_intervals_add_up_and_ranges_hold_the_truth(name: str) -> None:
    h = parse_hlog((DATA / name).read_bytes(), name, unit="us")
    values = samples_us()
    assert h.total == values.size
    for stat in ("p50", "p99", "p99.9", "max"):
        truth = Decimal(int(true_rank_value(values.tolist(), stat))) / 1000
        found = percentile(h, stat)
        assert found.low <= truth <= found.high
    count = count_below(h, Decimal(50), inclusive=False)  # 50 ms sits inside a bucket
    assert count.low <= int((values < 50_000).sum()) <= count.high


def test_the_same_log_in_ms_decides_like_in_us() -> None:
    data = (DATA / "java-style.hlog").read_bytes()
    us, ms = parse_hlog(data, "a", unit="us"), parse_hlog(data, "a", unit="ms")
    assert compare(us, "p50", "lt", 200).holds is True
    assert compare(ms, "p50", "lt", 200_000).holds is True


def test_tags_must_be_chosen() -> None:
    data = (DATA / "tagged.hlog").read_bytes()
    with pytest.raises(EvidenceError, match="several tags"):
        parse_hlog(data, "t.hlog", unit="us")
    assert parse_hlog(data, "t.hlog", unit="us", tag="crisis").total == 1000
    with pytest.raises(EvidenceError, match="no interval histograms tagged 'x'"):
        parse_hlog(data, "t.hlog", tag="x")


def test_bad_lines_and_payloads_are_errors_with_line_numbers() -> None:
    good = (DATA / "java-style.hlog").read_text()
    with pytest.raises(EvidenceError, match="line 7: not an interval line"):
        parse_hlog((good + "garbage\n").encode(), "j.hlog")
    with pytest.raises(EvidenceError, match="interval 1: cannot decode"):
        parse_hlog(b"0.000,1.0,1.0,HISTFAAAAbroken\n", "j.hlog")
    with pytest.raises(EvidenceError, match="no interval histograms"):
        parse_hlog(b"#[Histogram log format version 1.3]\n", "j.hlog")


def test_different_settings_are_not_blurred_together() -> None:
    from hdrh.histogram import HdrHistogram

    a, b = HdrHistogram(1, 10**6, 3), HdrHistogram(1, 10**6, 2)
    a.record_value(100)
    b.record_value(100)
    log = f"0.000,1,0,{a.encode().decode()}\n1.000,1,0,{b.encode().decode()}\n"
    with pytest.raises(EvidenceError, match="blur"):
        parse_hlog(log.encode(), "m.hlog")


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 10**7), min_size=1, max_size=300), st.integers(1, 5))
def test_splitting_into_intervals_does_not_change_the_histogram(values: list[int],
                                                                parts: int) -> None:
    from hdrh.histogram import HdrHistogram

    def encoded(chunk: list[int]) -> str:
        hist = HdrHistogram(1, 3_600_000_000, 3)
        for v in chunk:
            hist.record_value(v)
        return hist.encode().decode()

    one = parse_hlog(f"0.000,1,0,{encoded(values)}\n".encode(), "one", unit="us")
    size = -(-len(values) // parts)
    lines = "".join(f"{i}.000,1,0,{encoded(values[i * size:(i + 1) * size] or [1])}\n"
                    for i in range(parts) if values[i * size:(i + 1) * size])
    split = parse_hlog(lines.encode(), "split", unit="us")
    assert split == one
    truth = int((np.asarray(values) < 200_000).sum())
    count = count_below(one, Decimal(200), inclusive=False)
    assert count.low <= truth <= count.high


def test_a_tag_spelled_like_the_chosen_one_is_refused_not_ignored() -> None:
    """The slow interval under `Tag=A ` was ignored when `A` was asked for: a pass."""
    from hdrh.histogram import HdrHistogram

    def encoded(value: int) -> str:
        h = HdrHistogram(1, 3_600_000, 3)
        h.record_value(value)
        return h.encode().decode()

    log = (f"Tag=A,0.000,1.000,10.0,{encoded(10)}\n"
           f"Tag=A ,1.000,1.000,500.0,{encoded(500)}\n").encode()
    with pytest.raises(EvidenceError, match="spelled alike"):
        parse_hlog(log, "x", tag="A")
    assert parse_hlog(log.replace(b"Tag=A ,", b"Tag=B,"), "x", tag="a").total == 1
