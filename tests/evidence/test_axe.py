"""The axe reader over real axe-core output (tools/axe/screens.mjs in Chromium)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from p0gate.errors import EvidenceError
from p0gate.evidence.axe import AxeReader, AxeResults
from p0gate.evidence.bundle import Artifact, Blob
from tests.conftest import TEST_DATA

AXE = TEST_DATA / "axe"


def _blob(data: bytes, path: str = "a11y/axe.json") -> Blob:
    artifact = Artifact.model_validate(
        {"id": "axe", "kind": "axe", "path": path, "collected_at": "2025-09-27T10:00:00Z"}
    )
    return Blob(artifact, Path(path), data)


def _read(name: str) -> AxeResults:
    return AxeReader().read(_blob((AXE / name).read_bytes()))


def test_list_of_results_one_per_screen() -> None:
    raw = json.loads((AXE / "flawed.json").read_text())
    got = _read("flawed.json")
    assert [s.url for s in got.screens] == [r["url"] for r in raw]
    crisis = got.screens[0]
    assert crisis.testEngine.name == "axe-core"
    assert [v.id for v in crisis.violations] == [v["id"] for v in raw[0]["violations"]]
    image = next(v for v in crisis.violations if v.id == "image-alt")
    assert image.impact == "critical"
    assert "wcag2a" in image.tags
    assert len(image.nodes) == len(
        raw[0]["violations"][[v["id"] for v in raw[0]["violations"]].index("image-alt")]["nodes"]
    )


def test_single_result() -> None:
    got = _read("crisis.json")
    assert len(got.screens) == 1
    assert got.screens[0].violations == ()
    assert len(got.screens[0].passes) > 0


def test_incomplete_is_kept_apart_from_passes() -> None:
    home = _read("clean.json").screens[1]
    assert [r.id for r in home.incomplete] == ["color-contrast"]
    assert home.incomplete[0].impact == "serious"
    assert len(home.incomplete[0].nodes) == 2  # the two nav links


NOT_AXE = (AXE.parents[2] / "tools" / "axe" / "package.json").read_bytes()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (NOT_AXE, "the document is not axe-core output"),
        (b"[]", "empty list"),
        (
            b'[{"testEngine": {"name": "lighthouse", "version": "1"}}]',
            "entry 0 is not valid axe-core output",
        ),
        (b'{"testEngine": {"name": "axe-core", "version": "4"}, "violations": []}', "passes"),
        (b"{not json", "not valid JSON"),
    ],
)
def test_not_axe_output_is_an_error(data: bytes, message: str) -> None:
    with pytest.raises(EvidenceError, match=message) as info:
        AxeReader().read(_blob(data))
    assert "a11y/axe.json" in str(info.value)


def test_second_entry_named_when_broken() -> None:
    raw = json.loads((AXE / "clean.json").read_text())
    raw[1] = {"url": "x"}
    with pytest.raises(EvidenceError, match="entry 1 is not axe-core output"):
        AxeReader().read(_blob(json.dumps(raw).encode()))


def _screen(**changes: object) -> bytes:
    screen = json.loads((AXE / "flawed.json").read_text())[0]
    screen.update(changes)
    return json.dumps(screen).encode()


def test_a_missing_list_is_not_an_empty_one() -> None:
    screen = json.loads((AXE / "clean.json").read_text())[0]
    del screen["violations"]
    with pytest.raises(EvidenceError, match="violations"):
        AxeReader().read(_blob(json.dumps(screen).encode()))
    with pytest.raises(EvidenceError, match="violations"):
        AxeReader().read(_blob(_screen(violations=None)))


def test_null_impact_takes_the_worst_node_impact() -> None:
    rule = {"id": "r", "impact": None, "tags": ["WCAG2A "],
            "nodes": [{"target": ["a"], "impact": "moderate"},
                      {"target": ["b"], "impact": "critical"}]}
    (screen,) = AxeReader().read(_blob(_screen(violations=[rule]))).screens
    assert screen.violations[0].impact == "critical"
    assert screen.violations[0].tags == ("wcag2a",)
    rule = {**rule, "nodes": [{"target": ["a"]}]}
    (screen,) = AxeReader().read(_blob(_screen(violations=[rule]))).screens
    assert screen.violations[0].impact is None


def test_repeated_keys_are_refused() -> None:
    raw = _screen().replace(b'"violations":', b'"violations": [], "violations":', 1)
    with pytest.raises(EvidenceError, match="duplicate key 'violations'"):
        AxeReader().read(_blob(raw))
