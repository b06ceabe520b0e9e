"""SARIF references inside one run: tool components and descriptors, named every way."""

from __future__ import annotations

import pytest

from p0gate.errors import EvidenceError
from p0gate.evidence.sarif_refs import Tool, names
from tests.bundlekit import blob_of

GUID_A = "11111111-1111-4111-8111-111111111111"
GUID_B = "22222222-2222-4222-8222-222222222222"
TOOL = {
    "driver": {"name": "Scanner", "guid": GUID_A, "rules": [{"id": "D1"}]},
    "extensions": [
        {"name": "pack-a", "rules": [{"id": "A1"}, {"id": "A2", "guid": GUID_B}]},
        {"name": "pack-b", "rules": [{"id": "B1"}]},
    ],
}


def tool() -> Tool:
    return Tool(blob_of("sarif", "s.sarif", b"{}"), TOOL, "runs[0].tool")  # type: ignore[arg-type]


@pytest.mark.parametrize(("ref", "wanted"), [
    ({"id": "D1"}, "D1"),
    ({"index": 0}, "D1"),
    ({"id": "A2"}, "A2"),  # not in the driver: found in the packs
    ({"index": 1, "toolComponent": {"index": 0}}, "A2"),
    ({"guid": GUID_B, "toolComponent": {"name": "pack-a"}}, "A2"),
    ({"id": "B1", "toolComponent": {"index": 1, "name": "pack-b"}}, "B1"),
    ({"id": "D1", "toolComponent": {"guid": GUID_A}}, "D1"),  # the driver by guid
    ({"id": "A1/7", "toolComponent": {"index": 0}}, "A1"),
])
def test_descriptor(ref: dict[str, object], wanted: str) -> None:
    found = tool().descriptor(ref, "rules", "r")  # type: ignore[arg-type]
    assert found is not None and found["id"] == wanted


def test_an_id_no_component_describes_has_no_descriptor() -> None:
    assert tool().descriptor({"id": "Z9"}, "rules", "r") is None


@pytest.mark.parametrize("ref", [
    {"id": "A1", "index": 1, "toolComponent": {"index": 0}},  # id and index disagree
    {"toolComponent": {"index": 0, "name": "pack-b"}, "id": "A1"},
    {"id": "B1", "toolComponent": {"index": 0}},  # not in that pack
    {"index": -2},
    {"index": True},
    {"toolComponent": {"index": 2}, "id": "B1"},
])
def test_references_that_disagree_or_point_nowhere(ref: dict[str, object]) -> None:
    with pytest.raises(EvidenceError):
        tool().descriptor(ref, "rules", "r")  # type: ignore[arg-type]


def test_hierarchical_names() -> None:
    assert names("CA2101", "CA2101/1") and names("CA2101", "CA2101")
    assert not names("CA2101", "CA21011") and not names(None, "CA2101")
