import hashlib
import os
from pathlib import Path

import pytest
import yaml

from p0gate.errors import EvidenceError, InputError
from p0gate.evidence.bundle import load_manifest, open_bundle
from tests.bundlekit import File, make_bundle, parquet, sealed_dataset


def manifest_text(path: str = "a.csv", sha: str | None = None) -> str:
    entry = {"id": "a", "kind": "latency-samples", "path": path,
             "collected_at": "2025-09-30T12:00:00Z"}
    if sha:
        entry["sha256"] = sha
    return yaml.safe_dump({"apiVersion": "p0gate/v1", "kind": "EvidenceBundle",
                           "metadata": {"system": "s", "version": "1.0",
                                        "collected_at": "2025-09-30T12:00:00Z"},
                           "artifacts": [entry]})


def test_blob_is_verified_on_every_read(tmp_path: Path) -> None:
    bundle = make_bundle(tmp_path, [File("a", "document", "d/a.txt", b"hello")])
    art = bundle.manifest.artifacts[0]
    assert bundle.blob(art).data == b"hello"
    (tmp_path / "d/a.txt").write_bytes(b"tampered")
    with pytest.raises(EvidenceError, match="sha256 mismatch"):
        bundle.blob(art)


def test_digest_mismatch_is_an_evidence_error(tmp_path: Path) -> None:
    bundle = make_bundle(tmp_path, [File("a", "document", "a.txt", b"hello")])
    (tmp_path / "a.txt").write_bytes(b"hellO")
    with pytest.raises(EvidenceError, match="sha256 mismatch"):
        bundle.blob(bundle.manifest.artifacts[0])


def test_missing_file_and_missing_sha(tmp_path: Path) -> None:
    bundle = make_bundle(tmp_path, [File("a", "document", "a.txt", b"x")])
    (tmp_path / "a.txt").unlink()
    with pytest.raises(EvidenceError, match="not found"):
        bundle.blob(bundle.manifest.artifacts[0])
    (tmp_path / "manifest.yaml").write_text(manifest_text())
    (tmp_path / "a.csv").write_text("x\n1\n")
    with open_bundle(tmp_path) as opened, pytest.raises(EvidenceError, match="bundle seal"):
        opened.blob(opened.manifest.artifacts[0])


@pytest.mark.parametrize("path", ["/etc/passwd", "../outside.csv", "a/../../b.csv", "C:/x.csv",
                                  "a\\b.csv", ""])
def test_paths_must_stay_inside(tmp_path: Path, path: str) -> None:
    (tmp_path / "manifest.yaml").write_text(manifest_text(path))
    with pytest.raises(InputError, match="path") as info:
        load_manifest(tmp_path)
    assert "manifest.yaml" in str(info.value)


def test_symlink_out_of_the_bundle_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"secret")
    root = tmp_path / "b"
    root.mkdir()
    (root / "a.csv").symlink_to(secret)
    sha = hashlib.sha256(b"secret").hexdigest()
    (root / "manifest.yaml").write_text(manifest_text("a.csv", sha))
    with open_bundle(root) as bundle, pytest.raises(EvidenceError, match="out of the bundle"):
        bundle.blob(bundle.manifest.artifacts[0])


def test_size_cap(tmp_path: Path) -> None:
    make_bundle(tmp_path, [File("a", "document", "a.txt", b"x" * 100)])
    with open_bundle(tmp_path, max_artifact_bytes=10) as bundle, \
            pytest.raises(EvidenceError, match="cap"):
        bundle.blob(bundle.manifest.artifacts[0])


@pytest.mark.parametrize(("change", "needle"), [
    ({"kind": "Evidence"}, "kind"),
    ({"metadata": {"system": "s", "collected_at": "2025-09-30T12:00:00Z"}}, "version"),
    ({"metadata": {"system": "s", "version": "1", "collected_at": "2025-09-30T12:00:00"}},
     "timezone"),
    ({"metadata": {"system": "s", "version": 1.1, "collected_at": "2025-09-30T12:00:00Z"}},
     "quote"),
])
def test_manifest_errors_name_field(tmp_path: Path, change: dict[str, object],
                                    needle: str) -> None:
    data = yaml.safe_load(manifest_text())
    data.update(change)
    (tmp_path / "manifest.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(InputError) as info:
        load_manifest(tmp_path)
    assert needle in str(info.value) and "manifest.yaml" in str(info.value)


def test_duplicate_artifact_ids(tmp_path: Path) -> None:
    data = yaml.safe_load(manifest_text())
    data["artifacts"].append(dict(data["artifacts"][0]))
    (tmp_path / "manifest.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(InputError, match="duplicate artifact id"):
        load_manifest(tmp_path)


def test_no_manifest(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no manifest\.yaml"), open_bundle(tmp_path):
        pass


def test_evidence_digest_ignores_signoffs_only(tmp_path: Path) -> None:
    files = [File("a", "document", "a.txt", b"a")]
    base = make_bundle(tmp_path / "1", files).evidence_digest()
    with_signoff = make_bundle(tmp_path / "2", [*files, File("s", "signoff", "s.yaml", b"x")])
    assert with_signoff.evidence_digest() == base
    other = make_bundle(tmp_path / "3", [File("a", "document", "a.txt", b"b")])
    assert other.evidence_digest() != base


@pytest.mark.parametrize("kind", ["link", "fifo"])
def test_a_manifest_that_is_a_link_or_not_a_file_is_refused(kind: str, tmp_path: Path) -> None:
    real = tmp_path / "elsewhere.yaml"
    real.write_text(manifest_text())
    root = tmp_path / "bundle"
    root.mkdir()
    if kind == "link":
        (root / "manifest.yaml").symlink_to(real)
    else:
        os.mkfifo(root / "manifest.yaml")
    with pytest.raises(InputError, match=r"symbolic link|no manifest"), open_bundle(root):
        pass


def test_a_large_artifact_is_parsed_while_hashed_and_used_only_when_it_matches(
        tmp_path: Path) -> None:
    body = b"latency_ms\n" + b"12\n" * 50_000
    bundle = make_bundle(tmp_path, [File("lat", "latency-samples", "l.csv", body)])
    artifact = bundle.manifest.artifacts[0]
    seen: list[bytes] = []

    def parse(blob: object) -> int:
        seen.append(blob.data)  # type: ignore[attr-defined]
        return len(blob.data)  # type: ignore[attr-defined]

    assert bundle.parsed(artifact, parse, overlap_over=1024) == len(body) and seen == [body]
    (tmp_path / "l.csv").write_bytes(body.replace(b"12\n", b"99\n", 1))
    with pytest.raises(EvidenceError, match="sha256 mismatch"):
        bundle.parsed(artifact, parse, overlap_over=1024)
    assert len(seen) == 2  # parsed early, never used


def test_unit_and_files_belong_to_latency_kinds_only() -> None:
    from pydantic import ValidationError

    from p0gate.evidence.bundle import Artifact

    base = {"id": "a", "path": "a", "collected_at": "2025-09-27T10:00:00Z"}
    assert Artifact.model_validate({**base, "kind": "latency-histogram", "unit": "s"}).unit == "s"
    with pytest.raises(ValidationError, match="`unit` is for latency evidence"):
        Artifact.model_validate({**base, "kind": "junit", "unit": "s"})
    with pytest.raises(ValidationError, match="`files` is for datasets"):
        Artifact.model_validate({**base, "kind": "metrics", "files": []})
    with pytest.raises(ValidationError):
        Artifact.model_validate({**base, "kind": "latency-samples", "unit": "min"})


def test_a_dataset_is_sealed_file_by_file_and_its_listing_bound(tmp_path: Path) -> None:
    from p0gate.evidence.manage import verify

    bundle = sealed_dataset(tmp_path, "lake", {"day=1/a.parquet": parquet(v=[1.0]),
                                               "day=2/b.parquet": parquet(v=[2.0])})
    artifact = bundle.manifest.artifacts[0]
    assert [f.path for f in artifact.files or []] == ["day=1/a.parquet", "day=2/b.parquet"]
    assert artifact.size == sum(f.size for f in artifact.files or [])
    assert verify(bundle) == []
    manifest = yaml.safe_load((tmp_path / "manifest.yaml").read_text())
    manifest["artifacts"][0]["files"].pop()  # the folder still holds the file: refused
    (tmp_path / "manifest.yaml").write_text(yaml.safe_dump(manifest))
    edited, digest = load_manifest(tmp_path)
    from p0gate.evidence.bundle import Bundle

    problems = verify(Bundle(tmp_path, edited, digest))
    assert problems and "do not match the artifact's sha256" in problems[0].message


def test_verify_streams_every_file_of_a_dataset(tmp_path: Path) -> None:
    bundle = sealed_dataset(tmp_path, "lake", {"a.parquet": parquet(v=[1.0])})
    bundle.verify(bundle.manifest.artifacts[0])
    (tmp_path / "lake" / "a.parquet").write_bytes(parquet(v=[2.0]))
    with pytest.raises(EvidenceError, match="sha256 mismatch"):
        bundle.verify(bundle.manifest.artifacts[0])
