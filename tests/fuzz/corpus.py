"""Fuzz settings and seeds: real files from the example bundles, mutated by hypothesis.

``make test`` runs every target briefly; ``make fuzz`` (P0GATE_FUZZ=long) runs them at length
(P0GATE_FUZZ_EXAMPLES examples per target, default 3000).
"""

from __future__ import annotations

import os
from functools import cache

import celpy
import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES

# celpy.Environment() sets the recursion limit to 2500 (the policy loader compiles `expr`
# checks); set it once before hypothesis records the limit, or hypothesis warns.
celpy.Environment()
LONG = os.environ.get("P0GATE_FUZZ") == "long"
FUZZ = settings(
    max_examples=int(os.environ.get("P0GATE_FUZZ_EXAMPLES", "3000")) if LONG else 15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=not LONG,
)


@cache
def seeds(kind: str) -> tuple[tuple[str, bytes], ...]:
    """(suffix, bytes) of every example artifact of ``kind``."""
    found: list[tuple[str, bytes]] = []
    for manifest in sorted(EXAMPLES.glob("*/manifest.yaml")):
        for item in yaml.safe_load(manifest.read_text())["artifacts"]:
            if item["kind"] == kind:
                path = manifest.parent / item["path"]
                found.append(("." + path.name.split(".", 1)[-1], path.read_bytes()[:16_000]))
    return tuple(found)


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with a few byte flips, insertions, deletions or a truncation."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(0, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "dup"]))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        elif action == "truncate":
            del data[at:]
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 64))]
    return bytes(data)
