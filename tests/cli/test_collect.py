"""`p0gate collect` end to end: DuckDB over Parquet, the real PostgreSQL and Prometheus that
`make test` starts, files by glob; the collected bundle evaluates, and collecting again gives
the same digests."""

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from p0gate.cli import run
from tests.collect.services import need
from tests.conftest import TEST_DATA

NOW = "2025-10-08T12:00:00Z"
AVAILABILITY = ("100 * (1 - sum(http_requests_total{code=~'5..'}) / "
                "sum(http_requests_total))")
PACK = """\
apiVersion: p0gate/v1
kind: PolicySet
metadata: {name: crisis, authority: crisis}
controls:
  - id: CRISIS-P999
    title: 99.9% of crisis events under 500 ms
    severity: critical
    blocking: true
    phases: [beta]
    check: {type: statistic, artifact: crisis-latency, stat: p99.9, lt: 500}
  - id: CRISIS-SLOW
    title: at most 5% of crisis events at or over 200 ms
    severity: critical
    blocking: true
    phases: [beta]
    check: {type: exceedance, artifact: crisis-latency, threshold: 200, max_rate: 0.05}
  - id: UNIT-TESTS
    title: unit tests pass
    severity: high
    blocking: true
    phases: [beta]
    check: {type: tests, kind: junit}
"""
SPEC = """\
apiVersion: p0gate/v1
kind: Collection
metadata: {system: p0-cloud-sync, version: "1.4.2", phase: beta}
sources:
  lake: {type: sql, url: "SOURCE_URL"}
artifacts:
  - id: crisis-latency
    kind: latency-histogram
    source: lake
    sql: {from: "FROM_SQL", column: latency_ms, time: TIME}
  - {id: unit-tests, kind: junit, files: "ci/**/*.xml"}
"""


def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, url: str, source: str,
              time: str = "null") -> Path:
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "crisis.yaml").write_text(PACK)
    (tmp_path / "ci" / "unit").mkdir(parents=True)
    shutil.copy(TEST_DATA / "junit" / "pytest.xml", tmp_path / "ci" / "unit" / "pytest.xml")
    spec = tmp_path / "collect.yaml"
    spec.write_text(SPEC.replace("SOURCE_URL", url).replace("FROM_SQL", source)
                    .replace("TIME", time))
    monkeypatch.chdir(tmp_path)
    return spec


def collect(spec: Path, out: str, start: str = "2025-10-01T00:00:00Z",
            end: str = "2025-10-02T00:00:00Z") -> int:
    return run(["collect", str(spec), "--policies", "pack", "--out", out, "--from", start,
                "--to", end, "--now", NOW])


def digests(bundle: Path) -> dict[str, str]:
    manifest = yaml.safe_load((bundle / "manifest.yaml").read_text())
    return {a["id"]: a["sha256"] for a in manifest["artifacts"]}


def test_duckdb_over_parquet_then_evaluate(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    lake = TEST_DATA / "dataset" / "crisis"
    spec = workspace(tmp_path, monkeypatch, url="duckdb:///:memory:",
                     source=f"read_parquet('{lake}/*/*.parquet')")
    assert collect(spec, "bundle") == 0
    assert collect(spec, "again") == 0
    assert digests(tmp_path / "bundle") == digests(tmp_path / "again")
    assert run(["bundle", "verify", "bundle"]) == 0
    code = run(["evaluate", "--evidence", "bundle", "--policies", "pack", "--phase", "beta",
                "--now", NOW, "--report", "json=result.json"])
    import json

    result = json.loads((tmp_path / "result.json").read_text())
    outcomes = {c["id"]: c["outcome"] for c in result["controls"]}
    assert outcomes == {"CRISIS-P999": "pass", "CRISIS-SLOW": "pass", "UNIT-TESTS": "fail"}
    assert code == 1  # the pytest fixture holds a failing test


def test_bad_times_and_a_missing_spec_are_clear_errors(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    spec = workspace(tmp_path, monkeypatch, url="duckdb:///:memory:", source="t")
    assert collect(spec, "b", start="yesterday") == 2
    assert "--from 'yesterday' is not ISO 8601" in capsys.readouterr().err
    assert collect(spec, "b", end="2025-10-02T00:00:00") == 2
    assert collect(tmp_path / "nope.yaml", "b") == 3
    assert collect(spec, "b") == 3  # the table t does not exist
    assert "the query failed" in capsys.readouterr().err


@pytest.mark.postgres
def test_postgresql_with_a_time_range(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = need("P0GATE_TEST_POSTGRES_URL", "PostgreSQL runs the collect query")
    from sqlalchemy import create_engine, text

    t0 = datetime(2025, 10, 1, tzinfo=UTC)
    rows = [{"ts": (t0 + timedelta(minutes=i)).replace(tzinfo=None), "v": float(10 + i % 300)}
            for i in range(3000)]  # 1,440 rows fall on 2025-10-01
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS p0gate_cli_crisis"))
        conn.execute(text("CREATE TABLE p0gate_cli_crisis (ts timestamp, latency_ms real)"))
        conn.execute(text("INSERT INTO p0gate_cli_crisis VALUES (:ts, :v)"), rows)
    engine.dispose()
    spec = workspace(tmp_path, monkeypatch, url=url, source="p0gate_cli_crisis", time="ts")
    assert collect(spec, "bundle") == 0 and collect(spec, "again") == 0
    assert digests(tmp_path / "bundle") == digests(tmp_path / "again")
    doc = yaml.safe_load((tmp_path / "bundle" / "crisis-latency.json").read_text())
    assert doc["count"] == 1440 and doc["provenance"]["rows"] == 1440
    assert "secret" not in doc["provenance"]["source"] and doc["thresholds"][0]["at"] == "200.0"


@pytest.mark.prometheus
def test_prometheus_histogram_and_availability(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    url = need("P0GATE_TEST_PROMETHEUS_URL", "a Prometheus scraping tests/collect/exporter.py")
    spec = tmp_path / "collect.yaml"
    spec.write_text(f"""\
apiVersion: p0gate/v1
kind: Collection
metadata: {{system: p0-cloud-sync, version: "1.4.2", phase: beta}}
sources:
  prom: {{type: prometheus, url: "{url}"}}
artifacts:
  - id: crisis-latency
    kind: latency-histogram
    source: prom
    histogram: {{metric: crisis_latency_seconds, selector: '{{job="p0gate-exporter"}}'}}
  - id: availability
    kind: metrics
    source: prom
    promql: {{availability.percent: "{AVAILABILITY}"}}
""")
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "p.yaml").write_text(PACK.split("  - id: UNIT-TESTS")[0] + """\
  - id: SYNC-AVAILABILITY
    title: availability over 99.9%
    severity: critical
    blocking: true
    phases: [beta]
    check: {type: metric, artifact: availability, path: availability.percent, gt: 99.9}
""")
    monkeypatch.chdir(tmp_path)
    end = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=2)
    window = [(end - timedelta(days=1)).isoformat(), end.isoformat()]
    assert collect(spec, "bundle", *window) == 0 and collect(spec, "again", *window) == 0
    assert digests(tmp_path / "bundle") == digests(tmp_path / "again")
    import json

    assert run(["evaluate", "--evidence", "bundle", "--policies", "pack", "--phase", "beta",
                "--now", end.isoformat(), "--report", "json=result.json"]) in (0, 1)
    result = json.loads((tmp_path / "result.json").read_text())
    found = {c["id"]: (c["outcome"], c["message"]) for c in result["controls"]}
    # 1,000 events: 950 <= 150 ms, 40 exactly on the 0.2 s bound, 9 at 350 ms, 1 at 1.5 s.
    # p99.9 (rank 999) lies in (200, 500] ms, which holds the limit 500 ms; the events
    # >= 200 ms number 10 to 200 (the le="0.2" bucket cannot tell 200 from 199).
    assert found["CRISIS-P999"][0] == "inconclusive"
    assert "add a bucket boundary just below 500 ms" in found["CRISIS-P999"][1]
    assert found["CRISIS-SLOW"][0] == "inconclusive"
    assert "between 10 and 200 of 1000 events" in found["CRISIS-SLOW"][1]
    assert found["SYNC-AVAILABILITY"][0] == "pass"
