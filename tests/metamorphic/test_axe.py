"""accessibility over axe-core: one serious WCAG violation, however written, never passes."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from p0gate.checks.accessibility import AccessibilityCheck
from p0gate.checks.base import Outcome
from tests.bundlekit import File
from tests.metamorphic.kit import DATA, EXAMPLE, never_passes, passes, respelled, run_relation

BASES = [json.loads((DATA / "axe" / "clean.json").read_text()),
         json.loads((EXAMPLE / "a11y" / "axe-screens.json").read_text())]
CHECK = AccessibilityCheck.model_validate({"type": "accessibility", "kind": "axe",
                                           "min_screens": 3})


@st.composite
def violation(draw: st.DrawFn) -> dict[str, Any]:
    impact = draw(st.sampled_from(["serious", "critical"]))
    where = draw(st.sampled_from(["rule", "nodes", "both", "none"]))
    nodes = [{"target": [f"#n{i}"], "html": "<img>", "failureSummary": "fix it",
              **({"impact": impact} if where in {"nodes", "both"} else {})}
             for i in range(draw(st.integers(1, 3)))]
    tag = draw(st.sampled_from(["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]))
    rule = {"id": "image-alt", "impact": impact if where in {"rule", "both"} else None,
            "tags": draw(st.permutations(["cat.text-alternatives", draw(respelled(tag)),
                                          "section508"])),
            "description": "Images must have alternate text", "help": "add alt",
            "helpUrl": "https://dequeuniversity.com/rules/axe/4.10/image-alt", "nodes": nodes}
    keys = draw(st.permutations(list(rule)))
    return {k: rule[k] for k in keys}


@st.composite
def with_violation(draw: st.DrawFn) -> bytes:
    screens = json.loads(json.dumps(draw(st.sampled_from(BASES))))
    at = draw(st.integers(0, len(screens) - 1))
    screens[at]["violations"].insert(draw(st.integers(0, len(screens[at]["violations"]))),
                                     draw(violation()))
    shape = draw(st.sampled_from(["list", "one-per-file"]))
    if shape == "one-per-file":  # each screen its own object, as @axe-core/playwright writes
        return json.dumps(screens[at]).encode()
    return json.dumps(screens).encode()


def test_a_serious_violation_is_never_hidden() -> None:
    for base in BASES:
        passes(CHECK, [File("axe", "axe", "axe.json", json.dumps(base).encode())])

    def relation(data: object) -> None:
        got = never_passes(CHECK, [File("axe", "axe", "axe.json", data)])  # type: ignore[arg-type]
        assert got is Outcome.FAIL

    run_relation(with_violation(), relation)
