from __future__ import annotations

from pathlib import Path

import pytest

from p0gate.errors import OutputError
from p0gate.formats import templating
from tests.conftest import ROOT


def test_checkout_templates_are_found() -> None:
    assert templating.templates_dir() == ROOT / "templates"


def test_falls_back_to_the_packaged_copy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Outside a checkout the wheel's p0gate/_data/templates is used (a symlink here)."""
    monkeypatch.setattr(templating, "CHECKOUT", tmp_path / "absent")
    found = templating.templates_dir()
    assert found.parts[-3:] == ("p0gate", "_data", "templates")
    assert (found / "report.pdf.j2").read_bytes() == (ROOT / "templates/report.pdf.j2").read_bytes()


def test_missing_templates_are_an_output_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(templating, "CHECKOUT", tmp_path / "absent")
    monkeypatch.setattr(templating.resources, "files", lambda _pkg: tmp_path)
    with pytest.raises(OutputError, match="report templates not found"):
        templating.templates_dir()
