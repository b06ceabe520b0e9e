"""`bundle init|seal|verify`: a manifest with guessed kinds, sealed digests, their check."""

from pathlib import Path

import pytest

from p0gate.errors import InputError
from p0gate.evidence.bundle import open_bundle
from p0gate.evidence.manage import init, seal, verify
from tests.bundlekit import NOW


def test_init_seal_verify_round_trip(tmp_path: Path) -> None:
    (tmp_path / "crisis").mkdir()
    (tmp_path / "crisis" / "latency.csv").write_text("latency_ms\n12\n")
    (tmp_path / "scan.sarif").write_text("{}")
    init(tmp_path, system="p0-cloud-sync", version="1.0.0", now=NOW)
    with pytest.raises(InputError, match="already exists"):
        init(tmp_path, system="s", version="1", now=NOW)
    assert seal(tmp_path) == 2
    with open_bundle(tmp_path) as bundle:
        kinds = {a.path: a.kind for a in bundle.manifest.artifacts}
        assert kinds == {"crisis/latency.csv": "latency-samples", "scan.sarif": "sarif"}
        assert verify(bundle) == []
    (tmp_path / "scan.sarif").write_text("{ }")
    with open_bundle(tmp_path) as bundle:
        problems = verify(bundle)
    assert [p.artifact for p in problems] == ["scan"]
