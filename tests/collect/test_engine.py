"""The collect engine: spec validation, files by glob, SQL answers, a sealed manifest."""

import hashlib
import shutil
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from p0gate.collect.engine import Window, collect, write_manifest
from p0gate.collect.spec import load_spec
from p0gate.errors import EvidenceError, InputError
from p0gate.evidence.dataset import Ask
from p0gate.evidence.histograms.answers import parse_answers
from p0gate.evidence.histograms.decide import compare, exceedance

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
    asks = {"crisis-latency": Ask((Decimal(200),), ("p50", "p99.9"))}
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
    first = spec.artifacts[0]
    assert first.sql is not None
    renamed = first.sql.model_copy(update={  # a column whose name says no unit
        "from_": f"(SELECT latency_ms AS v FROM {first.sql.from_})", "column": "v"})
    with pytest.raises(EvidenceError, match="column 'latency_ms' is named in ms, the "
                       "artifact has `unit: s`"):
        collect(spec.model_copy(update={"artifacts": [first.model_copy(update={"unit": "s"})]}),
                tmp_path / "a", Window(tmp_path, NOW, NOW), {}, now=NOW)
    spec = spec.model_copy(update={"artifacts": [first.model_copy(
        update={"unit": "s", "sql": renamed})]})
    entries = collect(spec, tmp_path / "b", Window(tmp_path, NOW, NOW),
                      {"crisis-latency": Ask((Decimal(200_000),), ())}, now=NOW)
    assert entries[0]["unit"] == "s"
    h = parse_answers((tmp_path / "b" / "crisis-latency.json").read_bytes(), "x", unit="s")
    assert compare(h, "max", "lt", 500_000).holds is True  # 474 "seconds" in ms


def test_a_glob_matching_nothing_is_an_error(tmp_path: Path) -> None:
    spec = load_spec(workspace(tmp_path))
    shutil.rmtree(tmp_path / "ci")
    only_files = spec.model_copy(update={"artifacts": spec.artifacts[1:2]})
    with pytest.raises(EvidenceError, match="nothing matches"):
        collect(only_files, tmp_path / "o", Window(tmp_path, NOW, NOW), {}, now=NOW)


PACK = """\
apiVersion: p0gate/v1
kind: PolicySet
metadata: {name: crisis, authority: crisis}
controls:
  - id: CRISIS-1
    title: p99.9 under 200 ms
    severity: critical
    blocking: true
    phases: [beta, production]
    check: {type: statistic, artifact: crisis-latency, stat: p99.9, lt: 200}
    overrides:
      production: {lt: 150}
  - id: CRISIS-2
    title: few slow events
    severity: critical
    blocking: true
    phases: [beta]
    check: {type: exceedance, kind: latency-histogram, threshold: 500, max_rate: 0.01,
            alerts: {on: max, emergency: 1000}}
"""


def pack(tmp_path: Path):  # type: ignore[no-untyped-def]
    from p0gate.policy import load_pack

    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "crisis.yaml").write_text(PACK)
    return load_pack(tmp_path / "pack")


def test_the_pack_says_what_to_fetch_at_every_gate(tmp_path: Path) -> None:
    from p0gate.collect.engine import asks_from, judging_gates

    spec_path = workspace(tmp_path)
    loaded, spec = pack(tmp_path), load_spec(spec_path)
    gates = judging_gates(loaded, spec, spec_path)
    assert gates == ["beta", "production"]  # a simple pack: any gate may judge the bundle
    asks = asks_from(loaded, spec, gates)
    assert set(asks) == {"crisis-latency"}
    assert asks["crisis-latency"].stats == ("max", "p99.9")
    assert [str(t) for t in asks["crisis-latency"].thresholds] == ["500.0"]  # exceedance


LIFECYCLE = """\
apiVersion: p0gate/v1
kind: Pack
metadata: {name: shop}
authorities: [{id: crisis, title: Crisis Authority, role: crisis-authority}]
gates:
  - {name: canary, evidence: pre-release}
  - {name: ga, evidence: canary, after: {gate: canary, min_days: 1}}
"""
GATED = """\
apiVersion: p0gate/v1
kind: PolicySet
metadata: {name: crisis, authority: crisis}
controls:
  - id: CRISIS-1
    title: p99.9 under 200 ms (150 ms at ga)
    severity: critical
    blocking: true
    gates: [canary, ga]
    check: {type: statistic, artifact: crisis-latency, stat: p99.9, lt: 200}
    overrides:
      ga: {stat: p99, lt: 150}
  - id: CRISIS-2
    title: few slow events before the canary
    severity: critical
    blocking: true
    gates: [canary]
    check: {type: exceedance, kind: latency-histogram, threshold: 500, max_rate: 0.01}
"""


@pytest.mark.parametrize(("phase", "stats", "thresholds"), [
    ("pre-release", ("p99.9",), ["500.0"]), ("canary", ("p99",), [])])
def test_a_declared_lifecycle_asks_only_for_the_gates_that_judge_the_phase(
    tmp_path: Path, phase: str, stats: tuple[str, ...], thresholds: list[str]
) -> None:
    from p0gate.collect.engine import asks_from, judging_gates
    from p0gate.policy import load_pack

    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "pack.yaml").write_text(LIFECYCLE)
    (tmp_path / "pack" / "crisis.yaml").write_text(GATED)
    loaded = load_pack(tmp_path / "pack")
    spec_path = workspace(tmp_path)
    spec_path.write_text(spec_path.read_text().replace("phase: beta", f"phase: {phase}"))
    spec = load_spec(spec_path)
    gates = judging_gates(loaded, spec, spec_path)
    assert gates == ["canary" if phase == "pre-release" else "ga"]
    ask = asks_from(loaded, spec, gates)["crisis-latency"]
    assert ask.stats == stats and [str(t) for t in ask.thresholds] == thresholds


@pytest.mark.parametrize(("metadata", "said"), [
    ('{system: s, version: "1", phase: beta}', "no gate of the pack judges beta evidence"),
    ('{system: s, version: "1"}', "needs the phase of its evidence")])
def test_a_phase_no_gate_judges_is_invalid_input(tmp_path: Path, metadata: str,
                                                 said: str) -> None:
    from p0gate.collect.engine import judging_gates
    from p0gate.policy import load_pack

    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "pack.yaml").write_text(LIFECYCLE)
    (tmp_path / "pack" / "crisis.yaml").write_text(GATED)
    spec_path = workspace(tmp_path)
    spec_path.write_text(spec_path.read_text().replace(
        '{system: p0-cloud-sync, version: "1.4.2", phase: beta}', metadata))
    with pytest.raises(InputError, match=said) as caught:
        judging_gates(load_pack(tmp_path / "pack"), load_spec(spec_path), spec_path)
    assert "pre-release, canary" in str(caught.value.hint)


def test_run_collects_what_the_pack_needs_and_evaluates(tmp_path: Path) -> None:
    from p0gate.collect.engine import run
    from p0gate.evaluate import evaluate
    from p0gate.evidence.bundle import open_bundle

    spec, loaded = workspace(tmp_path), pack(tmp_path)
    window = Window(tmp_path, NOW, NOW.replace(day=2))
    manifest, notes = run(spec, loaded, tmp_path / "out", window, now=NOW)
    assert manifest == tmp_path / "out" / "manifest.yaml" and notes == []
    with open_bundle(tmp_path / "out") as bundle:
        result = evaluate(loaded, bundle, gate="beta", now=NOW)
    import pyarrow.parquet as pq

    values = pq.read_table(DATA / "dataset" / "crisis").column("latency_ms").to_numpy()
    slow = int((values >= 500).sum())
    outcomes = {c.id: c.outcome.value for c in result.controls}
    assert outcomes == {"CRISIS-1": "fail",  # exactly: p99.9 of the lake is over 200 ms
                        "CRISIS-2": "pass" if slow <= 30 else "fail"}
    again, _ = run(spec, loaded, tmp_path / "again", window, now=NOW)
    assert again.read_text() == manifest.read_text().replace("out/", "again/") or \
        yaml.safe_load(again.read_text()) == yaml.safe_load(manifest.read_text())
    with pytest.raises(InputError, match="already has a manifest"):
        run(spec, loaded, tmp_path / "out", window, now=NOW)
    with pytest.raises(InputError, match="--to must be after --from"):
        run(spec, loaded, tmp_path / "x", Window(tmp_path, NOW, NOW), now=NOW)
