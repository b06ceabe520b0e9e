"""The format registry: one module per format, one line per format in FORMATS."""

from p0gate.formats import FORMATS, formatter_for
from tests.conftest import ROOT

HELPERS = {"__init__", "base", "view", "chart", "templating", "matrix"}


def test_every_format_module_is_registered() -> None:
    modules = {p.stem for p in (ROOT / "src/p0gate/formats").glob("*.py")} - HELPERS
    assert modules == {f.name for f in FORMATS}


def test_formats_are_found_by_their_unique_name() -> None:
    names = [f.name for f in FORMATS]
    assert len(names) == len(set(names))
    assert all(formatter_for(name) is f for name, f in zip(names, FORMATS, strict=True))
    assert formatter_for("xml") is None
