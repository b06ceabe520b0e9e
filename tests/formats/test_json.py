"""json: the canonical result document, digest included, read back unchanged."""

from p0gate.formats.json import JsonFormatter
from p0gate.result import Result, load_result


def test_the_json_report_is_the_canonical_result(sample: Result) -> None:
    data = JsonFormatter().render(sample)
    assert data == sample.canonical() and b"\n" not in data
    again = load_result(data)
    assert again.digest == sample.digest and again == sample
