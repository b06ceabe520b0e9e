"""`bundle init|seal|verify` and `vectors` through the real CLI."""

import csv
import io
from pathlib import Path

import pytest

from p0gate.cli import run


def test_bundle_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "latency.csv").write_text("latency_ms\n12\n")
    assert run(["bundle", "init", str(tmp_path), "--system", "s", "--version", "1.0"]) == 0
    assert run(["bundle", "seal", str(tmp_path)]) == 0
    assert run(["bundle", "verify", str(tmp_path)]) == 0
    (tmp_path / "latency.csv").write_text("latency_ms\n13\n")
    assert run(["bundle", "verify", str(tmp_path)]) == 3
    assert "sha256 mismatch" in capsys.readouterr().err


def test_placeholder_sources_are_named_until_described(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "latency.csv").write_text("latency_ms\n12\n")
    (tmp_path / "junit.xml").write_text("<testsuite/>")
    assert run(["bundle", "init", str(tmp_path), "--system", "s", "--version", "1.0"]) == 0
    said = " ".join(capsys.readouterr().err.split())
    assert "2 artifacts still have placeholder text as `source` (junit, latency)" in said
    manifest = tmp_path / "manifest.yaml"
    text = manifest.read_text()
    assert text.count("source: <describe the tool or run that produced this file>") == 2
    manifest.write_text(text.replace("<describe the tool or run that produced this file>",
                                     "pytest 8 run of the unit tests", 1))
    assert run(["bundle", "seal", str(tmp_path)]) == 0
    said = " ".join(capsys.readouterr().err.split())
    assert "1 artifacts still have placeholder text as `source` (latency)" in said
    manifest.write_text(manifest.read_text().replace(
        "<describe the tool or run that produced this file>", "k6 run", 1))
    assert run(["bundle", "seal", str(tmp_path)]) == 0
    assert "placeholder" not in capsys.readouterr().err


def test_the_older_todo_placeholder_is_still_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Manifests written by earlier versions say "TODO: describe the tool..."; seal still
    names them."""
    (tmp_path / "latency.csv").write_text("latency_ms\n12\n")
    assert run(["bundle", "init", str(tmp_path), "--system", "s", "--version", "1.0"]) == 0
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(manifest.read_text().replace(
        "<describe the tool or run that produced this file>",
        "'TODO: describe the tool or run that produced this file'"))
    capsys.readouterr()
    assert run(["bundle", "seal", str(tmp_path)]) == 0
    said = " ".join(capsys.readouterr().err.split())
    assert "1 artifacts still have placeholder text as `source` (latency)" in said


def test_cli_writes_every_vector(tmp_path: Path) -> None:
    target = tmp_path / "gad7.csv"
    assert run(["vectors", "gad7", "--all", "-o", str(target)]) == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert len(rows) == 4**7
    assert len({r["response_id"] for r in rows}) == 4**7


def test_cli_unwritable_output_is_exit_4(tmp_path: Path) -> None:
    assert run(["vectors", "phq9", "-o", str(tmp_path / "missing" / "x.csv")]) == 4


def test_cli_unknown_instrument_is_usage_error() -> None:
    assert run(["vectors", "phq8"]) == 2
