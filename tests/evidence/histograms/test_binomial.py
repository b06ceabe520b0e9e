"""The Clopper–Pearson bound, and the cheaper bound that proves a pass without scipy."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import beta

from p0gate.evidence.histograms.binomial import bound, chernoff, samples_needed, upper_bound


def test_upper_bound_matches_scipy_beta() -> None:
    for bad, n in ((0, 3000), (3, 10_000), (10, 1000), (10**8, 10**12)):
        assert upper_bound(bad, n, 0.95) == pytest.approx(beta.ppf(0.95, bad + 1, n - bad),
                                                          rel=1e-9)
    assert upper_bound(5, 5, 0.95) == 1.0


@given(st.integers(1, 10**12), st.floats(0, 1), st.sampled_from([0.9, 0.95, 0.99, 0.999]))
def test_the_chernoff_value_is_never_below_the_exact_bound(n: int, share: float,
                                                           confidence: float) -> None:
    bad = min(n - 1, int(share * n))
    if bad == 0:
        return
    assert chernoff(bad, n, confidence) >= upper_bound(bad, n, confidence)


@given(st.integers(1, 10**9), st.integers(0, 10**6), st.floats(1e-6, 0.5),
       st.sampled_from([0.9, 0.95, 0.99]))
def test_bound_decides_as_the_exact_bound_does(n: int, bad: int, max_rate: float,
                                               confidence: float) -> None:
    bad = min(bad, n)
    found = bound(bad, n, confidence, max_rate)
    exact = upper_bound(bad, n, confidence)
    assert (found.value <= max_rate) == (exact <= max_rate)
    if found.exact:
        assert found.value == exact
    else:
        assert found.value >= exact


def test_many_events_are_decided_without_scipy() -> None:
    import subprocess
    import sys

    code = ("import sys; from p0gate.evidence.histograms.binomial import bound; "
            "b = bound(10**8, 10**12, 0.95, 0.001); "
            "print(b.exact, 'scipy' in sys.modules, b.value < 0.000101)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "False", "True"]


def test_zero_failures_rule_of_three() -> None:
    assert samples_needed(0.0, 0.001, 0.95) == 2995  # ln(0.05)/ln(0.999)
    assert samples_needed(0.002, 0.001, 0.95) is None
    assert bound(0, 2995, 0.95, 0.001).exact and upper_bound(0, 2995, 0.95) <= 0.001
