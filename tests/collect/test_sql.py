"""The one query run for real on DuckDB and PostgreSQL: exact answers with provenance."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from p0gate.collect.sql import collect_sql, safe_url
from p0gate.errors import EvidenceError
from p0gate.evidence.dataset import answer_numpy
from p0gate.evidence.histograms.answers import parse_answers
from p0gate.evidence.histograms.decide import compare
from tests.collect.services import need
from tests.evidence.histograms.test_model import true_rank_value

DATASET = Path(__file__).resolve().parents[1] / "data" / "dataset"
THRESHOLDS = (100.0, 200.0)
STATS = ("min", "p50", "p99", "p99.9", "p0.1", "p100", "max")
T0 = datetime(2025, 10, 1, tzinfo=UTC)


def lake_values() -> np.ndarray:
    import pyarrow.parquet as pq

    return pq.read_table(DATASET / "crisis", columns=["latency_ms"]).column(0).to_numpy()


def check_answers(doc: dict[str, object], values: np.ndarray) -> None:
    want = answer_numpy(values.astype(float), THRESHOLDS, STATS)
    assert doc["count"] == want.n
    for item in doc["thresholds"]:  # type: ignore[attr-defined]
        t = float(item["at"])
        assert (item["below"], item["at_most"]) == (want.below[t], want.at_most[t])
    for item in doc["ranks"]:  # type: ignore[attr-defined]
        assert item["value"] == want.ranks[item["stat"]]
        assert item["value"] == true_rank_value(values.tolist(), item["stat"])


def test_duckdb_over_the_hive_dataset() -> None:
    source = f"read_parquet('{DATASET}/crisis/*/*.parquet', hive_partitioning = true)"
    doc = collect_sql("duckdb:///:memory:", source=source, column="latency_ms", time=None,
                      thresholds=THRESHOLDS, stats=STATS, start=None, end=None, unit="ms")
    check_answers(doc, lake_values())
    provenance = doc["provenance"]
    assert provenance["engine"].startswith("duckdb ") and provenance["rows"] == 3000
    h = parse_answers(__import__("json").dumps(doc).encode(), "lake")
    assert compare(h, "p99.9", "lt", 500).holds is True  # exact rank value, decided
    assert compare(h, "p50", "lt", 200).holds is True


def test_null_and_negative_values_are_refused(tmp_path: Path) -> None:
    for bad in ("(VALUES (1.0), (NULL)) AS t(x)", "(VALUES (1.0), (-2.0)) AS t(x)"):
        with pytest.raises(EvidenceError, match=r"no value|negative"):
            collect_sql("duckdb:///:memory:", source=bad, column="x", time=None,
                        thresholds=THRESHOLDS, stats=STATS, start=None, end=None, unit="ms")
    with pytest.raises(EvidenceError, match="the query failed"):
        collect_sql("duckdb:///:memory:", source="nowhere", column="x", time=None,
                    thresholds=THRESHOLDS, stats=STATS, start=None, end=None, unit="ms")


def test_passwords_stay_out_of_provenance() -> None:
    assert "secret" not in safe_url("postgresql://me:secret@db:5432/x")


@pytest.mark.postgres
def test_postgresql_gives_the_same_exact_answers() -> None:
    url = need("P0GATE_TEST_POSTGRES_URL", "PostgreSQL runs the transpiled query")
    from sqlalchemy import create_engine, text

    values = lake_values()
    times = [T0 + timedelta(seconds=i) for i in range(values.size)]
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS p0gate_collect_crisis"))
        conn.execute(text("CREATE TABLE p0gate_collect_crisis (ts timestamp, latency_ms "
                          "double precision)"))
        conn.execute(text("INSERT INTO p0gate_collect_crisis VALUES (:ts, :v)"),
                     [{"ts": t.replace(tzinfo=None), "v": float(v)}
                      for t, v in zip(times, values, strict=True)])
    engine.dispose()
    start, end = times[500], times[2500]  # rows 500..2499
    doc = collect_sql(url, source="p0gate_collect_crisis", column="latency_ms", time="ts",
                      thresholds=THRESHOLDS, stats=STATS, start=start, end=end, unit="ms")
    check_answers(doc, values[500:2500])
    assert doc["provenance"]["engine"].startswith("postgresql ")
    assert "DIV(" in doc["provenance"]["query"]
    again = collect_sql(url, source="p0gate_collect_crisis", column="latency_ms", time="ts",
                        thresholds=THRESHOLDS, stats=STATS, start=start, end=end, unit="ms")
    assert again == doc  # deterministic for the same query and range
