"""Reference vectors and the `p0gate vectors` command."""

from __future__ import annotations

import csv
import io

from p0gate.clinical.instruments import GAD7, PHQ9
from p0gate.clinical.vectors import vectors_csv


def _rows(body: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body)))


def test_default_vectors_hit_every_band_edge_and_item9_value() -> None:
    rows = _rows(vectors_csv(PHQ9))
    totals = {int(r["total"]) for r in rows}
    assert totals == {0, 4, 5, 9, 10, 14, 15, 19, 20, 27}
    assert {r["item9"] for r in rows} == {"0", "1", "2", "3"}
    for total in (4, 5, 9, 10, 14, 15, 19, 20):
        assert {r["item9"] for r in rows if int(r["total"]) == total} == {"0", "1", "2", "3"}
    for row in rows:
        items = [int(row[f"item{i}"]) for i in range(1, 10)]
        assert sum(items) == int(row["total"])
        assert row["crisis_flag"] == ("true" if items[8] else "false")
    assert {r["band"] for r in rows} == {b.name for b in PHQ9.bands}


def test_gad7_vectors_have_no_crisis_column() -> None:
    rows = _rows(vectors_csv(GAD7))
    assert "crisis_flag" not in rows[0]
    assert {int(r["total"]) for r in rows} == {0, 4, 5, 9, 10, 14, 15, 21}


