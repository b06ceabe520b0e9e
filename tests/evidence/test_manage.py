"""``bundle init`` and ``bundle seal`` never write through a link, and refuse linked manifests.

Each case plants a link where the manifest goes, pointing at a file (or a name) outside the
bundle, and checks that the outside stays exactly as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from p0gate.cli import run
from p0gate.errors import InputError
from p0gate.evidence.bundle import load_manifest, open_bundle
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


OUTSIDE = b"precious: true\n"


def _bundle(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "bundle"
    root.mkdir()
    (root / "latency.csv").write_text("latency_ms\n12\n")
    outside = tmp_path / "outside.yaml"
    outside.write_bytes(OUTSIDE)
    return root, outside


@pytest.mark.parametrize("dangling", [False, True])
def test_init_does_not_write_through_a_manifest_link(dangling: bool, tmp_path: Path) -> None:
    root, outside = _bundle(tmp_path)
    target = tmp_path / "not-yet.yaml" if dangling else outside
    (root / "manifest.yaml").symlink_to(target)
    with pytest.raises(InputError, match="already exists"):
        init(root, system="s", version="1", now=NOW)
    assert outside.read_bytes() == OUTSIDE and not (tmp_path / "not-yet.yaml").exists()


def test_init_neither_lists_nor_follows_links(tmp_path: Path) -> None:
    root, outside = _bundle(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "secret.csv").write_text("x\n")
    (root / "linked-file.yaml").symlink_to(outside)
    (root / "linked-folder").symlink_to(tmp_path / "elsewhere")
    init(root, system="s", version="1", now=NOW)
    listed = [a["path"] for a in yaml.safe_load((root / "manifest.yaml").read_text())["artifacts"]]
    assert listed == ["latency.csv"]


def test_seal_refuses_a_manifest_link_and_leaves_its_target_alone(tmp_path: Path) -> None:
    root, _ = _bundle(tmp_path)
    init(root, system="s", version="1", now=NOW)
    real = tmp_path / "real-manifest.yaml"
    (root / "manifest.yaml").rename(real)
    before = real.read_bytes()
    (root / "manifest.yaml").symlink_to(real)
    with pytest.raises(InputError, match="symbolic link"):
        seal(root)
    assert real.read_bytes() == before


def test_seal_replaces_the_manifest_instead_of_writing_into_it(tmp_path: Path) -> None:
    """A hard link to the manifest (the one link a check cannot see) keeps its old bytes."""
    root, _ = _bundle(tmp_path)
    init(root, system="s", version="1", now=NOW)
    twin = tmp_path / "twin.yaml"
    os.link(root / "manifest.yaml", twin)
    before = twin.read_bytes()
    assert seal(root) == 1
    assert twin.read_bytes() == before
    assert load_manifest(root)[0].artifacts[0].sha256 is not None
    assert sorted(p.name for p in root.iterdir()) == ["latency.csv", "manifest.yaml"]


def test_the_cli_reports_a_manifest_link_as_invalid_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, outside = _bundle(tmp_path)
    (root / "manifest.yaml").symlink_to(outside)
    assert run(["bundle", "seal", str(root)]) == 3
    assert run(["bundle", "verify", str(root)]) == 3
    assert run(["bundle", "init", str(root), "--system", "s", "--version", "1"]) == 3
    assert "symbolic link" in capsys.readouterr().err and outside.read_bytes() == OUTSIDE


@pytest.mark.parametrize(("size", "seal_code"), [
    ("1e400", 3), (".nan", 3), (".inf", 3), ("-.inf", 3), ("-1", 3), ("9" * 5000, 3),
    ("1" + "0" * 40, 0),  # a valid integer, wrong: verify refuses it, seal writes the true size
])
def test_odd_sizes_in_a_manifest_never_crash(
    size: str, seal_code: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = _bundle(tmp_path)
    init(root, system="s", version="1", now=NOW)
    seal(root)
    text = (root / "manifest.yaml").read_text()
    (root / "manifest.yaml").write_text(text.replace("size: 14", f"size: {size}"))
    assert run(["bundle", "verify", str(root)]) == 3
    assert run(["bundle", "seal", str(root)]) == seal_code
    assert "Traceback" not in capsys.readouterr().err
