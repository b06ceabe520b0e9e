from p0gate.outcome import Decision, Outcome, fmt


def test_fmt() -> None:
    assert (fmt(200.0), fmt(0.001), fmt(99.95), fmt(1 / 3)) == ("200", "0.001", "99.95", "0.333333")


def test_outcome_and_decision_words_are_the_result_json_words() -> None:
    assert [o.value for o in Outcome] == [
        "pass", "fail", "inconclusive", "error", "waived", "not_applicable"]
    assert (str(Decision.GO), f"{Decision.NO_GO}") == ("GO", "NO-GO")
