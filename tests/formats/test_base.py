"""Every registered formatter keeps the interface: a name, a description, render -> bytes."""

import pytest

from p0gate.formats import FORMATS
from p0gate.formats.base import Formatter
from p0gate.result import Result


@pytest.mark.parametrize("formatter", [f for f in FORMATS if f.name != "pdf"],
                         ids=lambda f: f.name)
def test_render_gives_bytes_of_the_result(formatter: Formatter, sample: Result) -> None:
    assert isinstance(formatter, Formatter)
    assert formatter.name and formatter.description.strip()
    data = formatter.render(sample)
    assert isinstance(data, bytes) and data
    assert formatter.render(sample) == data  # a pure function of the result
