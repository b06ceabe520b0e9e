"""The collection spec (kind: Collection): sources and one fetch per artifact."""

from pathlib import Path

import pytest

from p0gate.collect.spec import CollectionSpec, SqlSource, load_spec
from p0gate.errors import InputError

SPEC = """\
apiVersion: p0gate/v1
kind: Collection
metadata: {system: p0-cloud-sync, version: "1.4.2", phase: beta}
sources:
  lake: {type: sql, url: "duckdb:///:memory:"}
  prom: {type: prometheus, url: "http://127.0.0.1:9090"}
artifacts:
  - id: crisis-latency
    kind: latency-histogram
    source: lake
    sql: {from: "read_parquet('telemetry/*.parquet')", column: latency_ms, time: ts}
  - id: availability
    kind: metrics
    source: prom
    promql: {availability.percent: "avg_over_time(up[$__range])"}
  - {id: unit-tests, kind: junit, files: "build/**/*.xml"}
"""


def write(tmp_path: Path, text: str = SPEC) -> Path:
    path = tmp_path / "collect.yaml"
    path.write_text(text)
    return path


def test_the_designs_example_loads() -> None:
    spec = load_spec(write(Path(__import__("tempfile").mkdtemp())))
    assert isinstance(spec.sources["lake"], SqlSource)
    lake = spec.artifacts[0].sql
    assert lake is not None and lake.from_.startswith("read_parquet") and lake.time == "ts"
    assert spec.artifacts[2].files == "build/**/*.xml"


@pytest.mark.parametrize(("edit", "needle"), [
    (lambda s: s.replace("source: lake\n", "source: nowhere\n"), "no source 'nowhere'"),
    (lambda s: s.replace("kind: Collection", "kind: Collect"), "kind"),
    (lambda s: s.replace('files: "build/**/*.xml"', 'files: "b/*.xml", source: lake'),
     "needs none"),
    (lambda s: s.replace("id: availability", "id: crisis-latency"), "unique"),
    (lambda s: s.replace("type: sql", "type: kafka"), "type"),
    (lambda s: s.replace("column: latency_ms, ", ""), "column"),
])
def test_bad_specs_are_input_errors_naming_the_line(tmp_path: Path, edit: object,
                                                    needle: str) -> None:
    path = write(tmp_path, edit(SPEC))  # type: ignore[operator]
    with pytest.raises(InputError, match=needle) as caught:
        load_spec(path)
    assert caught.value.location is not None and caught.value.location.file == path


def test_one_fetch_per_artifact() -> None:
    with pytest.raises(ValueError, match="exactly one of"):
        CollectionSpec.model_validate({
            "apiVersion": "p0gate/v1", "kind": "Collection",
            "metadata": {"system": "s", "version": "1"},
            "artifacts": [{"id": "a", "kind": "junit"}]})
