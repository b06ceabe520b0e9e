"""Fuzz targets of the YAML loaders: policy packs and bundle manifests.

Whatever the bytes, a loader returns a model or raises ``InputError``; nothing else escapes.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from p0gate.errors import InputError
from p0gate.evidence.bundle import load_manifest
from p0gate.policy import load_pack
from tests.conftest import EXAMPLES, POLICIES
from tests.fuzz.corpus import FUZZ, mutated

POLICY_SEEDS = sorted(p.read_bytes() for p in POLICIES.glob("*.yaml"))
MANIFEST_SEEDS = sorted(p.read_bytes() for p in EXAMPLES.glob("*/*/manifest.yaml"))
yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def _load_pack(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "fuzzed.yaml").write_bytes(data)
        with contextlib.suppress(InputError):
            load_pack(Path(tmp))


def _load_manifest(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "manifest.yaml").write_bytes(data)
        with contextlib.suppress(InputError):
            load_manifest(Path(tmp))


@FUZZ
@given(st.sampled_from(POLICY_SEEDS).flatmap(mutated))
def test_fuzz_policy_mutations(data: bytes) -> None:
    _load_pack(data)


@FUZZ
@given(yaml_values)
def test_fuzz_policy_values(value: object) -> None:
    import json

    _load_pack(
        json.dumps(
            {
                "apiVersion": "p0gate/v1",
                "kind": "PolicySet",
                "metadata": {"name": "f", "authority": "crisis"},
                "controls": [value],
            }
        ).encode()
    )


@FUZZ
@given(st.sampled_from(MANIFEST_SEEDS).flatmap(mutated))
def test_fuzz_manifest_mutations(data: bytes) -> None:
    _load_manifest(data)


@FUZZ
@given(yaml_values)
def test_fuzz_manifest_values(value: object) -> None:
    import json

    _load_manifest(
        json.dumps(
            {
                "apiVersion": "p0gate/v1",
                "kind": "EvidenceBundle",
                "metadata": {"system": "s", "version": "1", "collected_at": "2025-01-01T00:00:00Z"},
                "artifacts": [value],
            }
        ).encode()
    )
