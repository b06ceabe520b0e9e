"""metric and expr: one breaching value, however the document spells its path, never passes."""

from __future__ import annotations

import json

import pytest
from hypothesis import strategies as st

from p0gate.checks.base import CheckParams
from p0gate.checks.expr import ExprCheck
from p0gate.checks.metric import MetricCheck
from tests.bundlekit import File
from tests.metamorphic.kit import EXAMPLE, never_passes, passes, run_relation

METRICS = json.loads((EXAMPLE / "ops" / "metrics.json").read_text())
CONFIG = json.loads((EXAMPLE / "security" / "config.json").read_text())
METRIC = MetricCheck.model_validate({"type": "metric", "artifact": "m",
                                     "path": "availability.percent", "gt": 99.9})
EXPR = ExprCheck.model_validate({"type": "expr", "artifact": "m",
                                 "expr": "doc.session.idle_logoff_minutes <= 15"})


def _pairs(obj: object) -> str:
    """JSON text of nested (key, value) pair lists: repeated keys survive."""
    if isinstance(obj, list) and all(isinstance(p, tuple) for p in obj):
        return "{" + ", ".join(f"{json.dumps(k)}: {_pairs(v)}" for k, v in obj) + "}"
    return json.dumps(obj)


def _yaml(obj: object, indent: int = 0) -> str:
    if isinstance(obj, list) and all(isinstance(p, tuple) for p in obj):
        return "".join(f"\n{' ' * indent}{json.dumps(k)}:{_yaml(v, indent + 2)}" for k, v in obj)
    return " " + json.dumps(obj)


@st.composite
def breaching(draw: st.DrawFn, doc: dict[str, object], path: str, bad: object,
              good: object) -> tuple[str, bytes]:
    """``doc`` with ``path`` set to ``bad``: nested or as one dotted key, maybe beside a
    second copy holding ``good`` (repeated key or a colliding dotted key), any key order."""
    top, leaf = path.split(".")
    pairs = [(k, [(kk, vv) for kk, vv in v.items()] if isinstance(v, dict) else v)
             for k, v in doc.items() if k != top]
    spelled = draw(st.sampled_from(["nested", "dotted"]))
    entry = (top, [(leaf, bad)]) if spelled == "nested" else (path, bad)
    pairs.append(entry)
    decoy = draw(st.sampled_from([None, "repeat", "collide"]))
    if decoy == "repeat":
        pairs.append((entry[0], [(leaf, good)] if spelled == "nested" else good))
    elif decoy == "collide":
        pairs.append((path, good) if spelled == "nested" else (top, [(leaf, good)]))
    pairs = draw(st.permutations(pairs))
    if draw(st.booleans()):
        return "m.yaml", _yaml(pairs).lstrip("\n").encode() + b"\n"
    return "m.json", _pairs(pairs).encode()


@pytest.mark.parametrize(("check", "kind", "doc", "path", "bad", "good"), [
    (METRIC, "metrics", METRICS, "availability.percent", 98.5, 99.99),
    (EXPR, "config", CONFIG, "session.idle_logoff_minutes", 60, 10),
], ids=["metric", "expr"])
def test_a_breaching_value_is_never_hidden(check: CheckParams, kind: str, doc: dict[str, object],
                                           path: str, bad: object, good: object) -> None:
    passes(check, [File("m", kind, "m.json", json.dumps(doc).encode())])

    def relation(case: object) -> None:
        name, data = case  # type: ignore[misc]
        never_passes(check, [File("m", kind, name, data)])

    run_relation(breaching(doc, path, bad, good), relation)
