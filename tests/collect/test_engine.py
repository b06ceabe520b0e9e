"""The collect engine: spec validation, files by glob, SQL answers, a sealed manifest."""

import hashlib
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from p0gate.collect.engine import Window, collect, write_manifest
from p0gate.collect.query import Ask
from p0gate.collect.spec import CollectionSpec, load_spec
from p0gate.errors import EvidenceError, InputError
from p0gate.evidence.answers import parse_answers
from p0gate.evidence.histogram_decide import compare, exceedance

DATA = Path(__file__).resolve().parents[1] / "data"
NOW = datetime(2025, 10, 1, 12, tzinfo=UTC)
SPEC = """\
apiVersion: p0gate/v1
kind: Collection
metadata: {system: p0-cloud-sync, version: "1.4.2", phase: beta}
sources:
  lake: {type: sql, url: "duckdb:///:memory:"}
artifacts:
  - id: crisis-latency
    kind: latency-histogram
    source: lake
    sql: {from: "read_parquet('LAKE/*/*.parquet')", column: latency_ms}
  - {id: unit-tests, kind: junit, files: "ci/**/*.xml"}
  - {id: load, kind: load-summary, files: "ci/run_stats.csv"}
"""


def workspace(tmp_path: Path) -> Path:
    ci = tmp_path / "ci" / "reports"
    ci.mkdir(parents=True)
    shutil.copy(DATA / "junit" / "pytest.xml", ci / "pytest.xml")
    shutil.copy(DATA / "junit" / "jest.xml", ci / "jest.xml")
    shutil.copy(DATA / "locust" / "run_stats.csv", tmp_path / "ci" / "run_stats.csv")
    spec = tmp_path / "collect.yaml"
    spec.write_text(SPEC.replace("LAKE", str(DATA / "dataset" / "crisis")))
    return spec


def test_a_spec_collects_into_a_sealed_bundle(tmp_path: Path) -> None:
    spec = load_spec(workspace(tmp_path))
    out = tmp_path / "bundle"
    asks = {"crisis-latency": Ask((200.0,), ("p99.9", "p50"))}
    entries = collect(spec, out, Window(tmp_path, NOW, NOW), asks, now=NOW)
    write_manifest(out, spec, entries, now=NOW)
    manifest = yaml.safe_load((out / "manifest.yaml").read_text())
    ids = [a["id"] for a in manifest["artifacts"]]
    assert ids == ["crisis-latency", "unit-tests.1", "unit-tests.2", "load"]
    for artifact in manifest["artifacts"]:
        data = (out / artifact["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == artifact["sha256"]
    assert (out / "load" / "ci" / "run_stats.csv").read_bytes() == \
        (DATA / "locust" / "run_stats.csv").read_bytes()
    h = parse_answers((out / "crisis-latency.json").read_bytes(), "crisis-latency")
    assert compare(h, "p99.9", "lt", 500).holds is True
    assert exceedance(h, 200, 0.001).verdict == "fail"  # 102 of 3000 are >= 200 ms


def test_thresholds_are_asked_in_the_columns_unit(tmp_path: Path) -> None:
    spec = load_spec(workspace(tmp_path))
    spec = spec.model_copy(update={"artifacts": [spec.artifacts[0].model_copy(
        update={"unit": "s"})]})
    entries = collect(spec, tmp_path / "b", Window(tmp_path, NOW, NOW),
                      {"crisis-latency": Ask((200_000.0,), ())}, now=NOW)
    assert entries[0]["unit"] == "s"
    h = parse_answers((tmp_path / "b" / "crisis-latency.json").read_bytes(), "x", unit="s")
    assert compare(h, "max", "lt", 500_000).holds is True  # 474 "seconds" in ms


@pytest.mark.parametrize(("edit", "needle"), [
    (lambda s: s.replace("source: lake\n", "source: nowhere\n"), "no source 'nowhere'"),
    (lambda s: s.replace("kind: Collection", "kind: Collect"), "kind"),
    (lambda s: s.replace('files: "ci/**/*.xml"', 'files: "ci/**/*.xml", source: lake'),
     "needs none"),
])
def test_bad_specs_are_input_errors(tmp_path: Path, edit: object, needle: str) -> None:
    path = workspace(tmp_path)
    path.write_text(edit(path.read_text()))  # type: ignore[operator]
    with pytest.raises(InputError, match=needle):
        load_spec(path)


def test_a_glob_matching_nothing_is_an_error(tmp_path: Path) -> None:
    spec = load_spec(workspace(tmp_path))
    shutil.rmtree(tmp_path / "ci")
    only_files = spec.model_copy(update={"artifacts": spec.artifacts[1:2]})
    with pytest.raises(EvidenceError, match="nothing matches"):
        collect(only_files, tmp_path / "o", Window(tmp_path, NOW, NOW), {}, now=NOW)


def test_spec_validates_one_fetch_per_artifact() -> None:
    with pytest.raises(ValueError, match="exactly one of"):
        CollectionSpec.model_validate({
            "apiVersion": "p0gate/v1", "kind": "Collection",
            "metadata": {"system": "s", "version": "1"},
            "artifacts": [{"id": "a", "kind": "junit"}]})
