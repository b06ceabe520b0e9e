"""docs/authoring.md documents every artifact kind and check type, and its examples validate."""

from __future__ import annotations

import re

import pytest
import yaml

from p0gate.checks import CHECKS, check_type_name
from p0gate.evidence import READERS
from tests.conftest import ROOT

GUIDE = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = GUIDE.index(f"\n## {title}")
    end = GUIDE.find("\n## ", start + 1)
    return GUIDE[start:end if end > 0 else None]


def headings(text: str) -> list[str]:
    return re.findall(r"^### (\S+)$", text, re.M)


def blocks(text: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", text, re.S)


def test_every_registered_artifact_kind_has_a_section() -> None:
    documented = headings(section("3. Artifact kinds"))
    missing = [r.kind for r in READERS if r.kind not in documented]
    assert not missing, f"document these kinds in docs/authoring.md section 3: {missing}"


def test_every_registered_check_type_has_a_worked_example() -> None:
    text = section("4. Check types")
    documented = headings(text)
    missing = [check_type_name(c) for c in CHECKS if check_type_name(c) not in documented]
    assert not missing, f"document these check types in docs/authoring.md section 4: {missing}"
    for name in documented:
        part = text.split(f"### {name}\n")[1].split("\n### ")[0]
        assert f"type: {name}" in part, f"the {name} section has no example of its own"


CONTROLS = [b for b in blocks(GUIDE) if b.startswith("- id:")]


@pytest.mark.parametrize("block", CONTROLS, ids=lambda b: b.split()[2])
def test_each_example_control_validates(block: str) -> None:
    from p0gate.policy import Control
    from p0gate.yamlio import load_yaml

    data, _ = load_yaml(ROOT / "docs" / "authoring.md", text=block)  # YAML as p0gate reads it
    assert isinstance(data, list) and len(data) == 1
    Control.model_validate(data[0])


def test_there_is_an_example_control_per_check_type() -> None:
    types = {yaml.safe_load(b)[0]["check"]["type"] for b in CONTROLS}
    assert types == {check_type_name(c) for c in CHECKS}


@pytest.mark.parametrize("kind", ["Pack", "PolicySet", "EvidenceBundle", "PolicyTest",
                                  "TrustStore", "Lexicon"])
def test_each_example_file_validates(kind: str) -> None:
    from p0gate.checks.lexicon import Lexicon
    from p0gate.checks.trust import TrustStore
    from p0gate.documents import validated
    from p0gate.evidence.bundle import Manifest
    from p0gate.packtest import PolicyTest
    from p0gate.policy import PackSettings, PolicySet
    from p0gate.yamlio import load_yaml

    models = {"Pack": PackSettings, "PolicySet": PolicySet, "EvidenceBundle": Manifest,
              "PolicyTest": PolicyTest, "TrustStore": TrustStore, "Lexicon": Lexicon}
    chosen = [b for b in blocks(GUIDE) if f"kind: {kind}\n" in b]
    assert chosen, f"no {kind} example"
    for block in chosen:
        data, lines = load_yaml(ROOT / "docs" / "authoring.md", text=block)
        validated(models[kind], data, lines)  # type: ignore[type-var]
