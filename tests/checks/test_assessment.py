"""The assessment-accuracy check: every disagreement listed, band coverage, item-9 flags."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from p0gate.checks.assessment import AssessmentAccuracyCheck
from p0gate.clinical.fhir import BAND_URL
from p0gate.clinical.instruments import GAD7, INSTRUMENTS, PHQ9
from p0gate.clinical.vectors import vectors_csv
from p0gate.outcome import CheckResult, Outcome
from tests.bundlekit import File, make_bundle, run_check
from tests.conftest import TEST_DATA
from tests.metamorphic.test_assessment import written

FHIR = TEST_DATA / "fhir"
HEAD = "response_id,instrument,item1,item2,item3,item4,item5,item6,item7,item8,item9,total,band"


def _run(tmp_path: Path, params: dict[str, object], files: dict[str, bytes]) -> CheckResult:
    bundle = make_bundle(tmp_path, [File(name.split(".")[0], "assessment-scores", name, data)
                                    for name, data in files.items()])
    check = AssessmentAccuracyCheck.model_validate({"type": "assessment-accuracy", **params})
    return run_check(check, bundle)


def test_reference_vectors_pass_for_both_instruments(tmp_path: Path) -> None:
    files = {"phq.csv": vectors_csv(PHQ9).encode(), "gad.csv": vectors_csv(GAD7).encode()}
    got = _run(tmp_path, {"instrument": "phq9"}, files)
    assert got.outcome is Outcome.PASS, got.message
    assert got.measured["responses"] == 34
    assert got.measured["crisis_flags_compared"] == 34
    assert got.measured["bands_covered"] == 5
    assert _run(tmp_path, {"instrument": "gad7"}, files).outcome is Outcome.PASS


def test_every_disagreement_is_listed(tmp_path: Path) -> None:
    body = (
        f"{HEAD},crisis_flag\n"
        "ok,phq9,0,0,0,0,0,0,0,0,0,0,minimal,false\n"
        "edge,phq9,1,1,1,1,1,0,0,0,0,5,minimal,false\n"  # band off by one at the edge
        "sum,phq9,3,3,3,3,3,3,3,3,3,26,severe,true\n"
        "flag,phq9,1,1,1,1,1,1,1,1,1,9,mild,false\n"
    ).encode()
    got = _run(tmp_path, {"instrument": "phq9", "require_band_coverage": False}, {"s.csv": body})
    assert got.outcome is Outcome.FAIL
    assert got.measured["disagreements"] == 3
    assert "edge band: app minimal, reference mild" in got.message
    assert "sum total: app 26, reference 27" in got.message
    assert "flag crisis_flag: app false, reference true" in got.message


def test_invalid_response_must_not_be_scored(tmp_path: Path) -> None:
    body = (
        f"{HEAD},crisis_flag\n"
        "silent,phq9,1,1,1,1,1,1,1,1,,8,mild,false\n"  # item 9 unanswered yet scored
        "honest,phq9,1,1,1,1,4,1,1,1,0,,,false\n"
    ).encode()
    got = _run(tmp_path, {"instrument": "phq9", "require_band_coverage": False}, {"s.csv": body})
    assert got.outcome is Outcome.FAIL
    assert "silent total: app 8, reference invalid: item 9 unanswered" in got.message
    assert "silent crisis_flag: app false, reference unknown (item 9 unanswered)" in got.message
    assert "honest" in got.message and "item 5 answer 4 is outside 0-3" in got.message
    assert got.measured["invalid"] == 2


def test_prorating_is_explicit(tmp_path: Path) -> None:
    body = (f"{HEAD},crisis_flag\np,phq9,3,3,,3,2,2,2,,1,21,severe,true\n").encode()
    params = {"instrument": "phq9", "require_band_coverage": False}
    (tmp_path / "off").mkdir()
    (tmp_path / "on").mkdir()
    off = _run(tmp_path / "off", params, {"s.csv": body})
    assert off.outcome is Outcome.FAIL
    assert "p total: app 21, reference invalid" in off.message
    on = _run(tmp_path / "on", {**params, "prorate": True}, {"s.csv": body})
    assert on.outcome is Outcome.PASS, on.message
    assert on.measured["prorated"] == 1


def test_fhir_gad7_bundle_reaching_every_band_but_not_every_edge(tmp_path: Path) -> None:
    files = {"gad7-r4b.json": (FHIR / "gad7-r4b.json").read_bytes()}
    got = _run(tmp_path, {"instrument": "gad7"}, files)  # 2, 7, 11, 18: every band, no edge
    assert got.outcome is Outcome.INCONCLUSIVE, got.message
    assert got.measured["bands_covered"] == 4 and got.measured["edge_cases_covered"] == 0
    assert "no response covers total 0; no response covers total 4" in got.message
    got = _run(tmp_path / "off", {"instrument": "gad7", "require_band_coverage": False}, files)
    assert got.outcome is Outcome.PASS, got.message


def test_fhir_invalid_response_reported_and_other_instrument_absent(tmp_path: Path) -> None:
    params = {"instrument": "phq9", "require_band_coverage": False}
    got = _run(tmp_path, params, {"phq9-r5.json": (FHIR / "phq9-r5.json").read_bytes()})
    assert got.outcome is Outcome.PASS, got.message
    assert "phq-006 (item 9 unanswered)" in got.message
    got = _run(
        tmp_path, {"instrument": "gad7"}, {"phq9-r5.json": (FHIR / "phq9-r5.json").read_bytes()}
    )
    assert got.outcome is Outcome.INCONCLUSIVE
    assert "no GAD-7 responses" in got.message


def test_band_coverage_required_by_default(tmp_path: Path) -> None:
    body = (f"{HEAD},crisis_flag\nok,phq9,0,0,0,0,0,0,0,0,0,0,minimal,false\n").encode()
    got = _run(tmp_path, {"instrument": "phq9"}, {"s.csv": body})
    assert got.outcome is Outcome.INCONCLUSIVE
    assert got.measured["edge_cases_covered"] == 1 and got.measured["edge_cases"] == 34
    assert "no response covers total 4 with item 9 = 0" in got.message
    assert "total 27 with item 9 = 3" in got.message


def test_nothing_selected_is_inconclusive(tmp_path: Path) -> None:
    got = _run(
        tmp_path, {"instrument": "phq9", "artifact": "nope"}, {"s.csv": vectors_csv(PHQ9).encode()}
    )
    assert got.outcome is Outcome.INCONCLUSIVE


def test_instrument_is_required() -> None:
    with pytest.raises(ValueError, match="instrument"):
        AssessmentAccuracyCheck.model_validate({"type": "assessment-accuracy"})


def _vectors_without(instrument: str, drop: str = "",
                     blank: tuple[str, str] | None = None) -> bytes:
    """The reference vectors CSV, less the row ``drop``, or with one cell blanked."""
    rows = list(csv.DictReader(io.StringIO(vectors_csv(INSTRUMENTS[instrument]))))
    rows = [r for r in rows if r["response_id"] != drop]
    for row in rows:
        if blank and row["response_id"] == blank[0]:
            row[blank[1]] = ""
    return written(rows)


@pytest.mark.parametrize(("instrument", "row", "cell"), [
    ("phq9", "phq9-t10-i92", "band"),
    ("phq9", "phq9-t10-i92", "crisis_flag"),
    ("phq9", "phq9-t00-i90", "crisis_flag"),
    ("gad7", "gad7-t05", "band"),
])
def test_the_apps_band_and_crisis_flag_are_required(
    tmp_path: Path, instrument: str, row: str, cell: str
) -> None:
    """A response whose band or flag the app left out proves nothing about them."""
    body = _vectors_without(instrument, blank=(row, cell))
    got = _run(tmp_path, {"instrument": instrument}, {"s.csv": body})
    assert got.outcome is Outcome.INCONCLUSIVE, got.message
    assert f"{row} ({cell})" in got.message and got.measured["unstated"] == 1


@pytest.mark.parametrize(("instrument", "row", "named"), [
    ("phq9", "phq9-t10-i93", "total 10 with item 9 = 3"),
    ("phq9", "phq9-t27-i93", "total 27 with item 9 = 3"),
    ("phq9", "phq9-t04-i90", "total 4 with item 9 = 0"),
    ("gad7", "gad7-t14", "total 14"),
])
def test_every_band_edge_and_item9_value_of_the_vectors_is_required(
    tmp_path: Path, instrument: str, row: str, named: str
) -> None:
    body = _vectors_without(instrument, drop=row)
    got = _run(tmp_path, {"instrument": instrument}, {"s.csv": body})
    assert got.outcome is Outcome.INCONCLUSIVE, got.message
    assert f"no response covers {named}" in got.message
    assert got.measured["edge_cases_covered"] == got.measured["edge_cases"] - 1  # type: ignore[operator]


def test_fhir_band_and_flag_are_read_from_the_documented_extensions(tmp_path: Path) -> None:
    files = {"phq9-vectors.json": (FHIR / "phq9-vectors.json").read_bytes()}
    got = _run(tmp_path, {"instrument": "phq9"}, files)
    assert got.outcome is Outcome.PASS, got.message
    assert got.measured["crisis_flags_compared"] == got.measured["responses"] == 34


def test_fhir_responses_without_band_or_flag_are_inconclusive(tmp_path: Path) -> None:
    got = _run(tmp_path, {"instrument": "phq9", "require_band_coverage": False},
               {"phq9-r5.json": (FHIR / "phq9-r5.json").read_bytes()})
    assert got.outcome is Outcome.PASS, got.message
    bare = json.loads((FHIR / "phq9-r5.json").read_text())
    for entry in bare["entry"]:
        entry["resource"].pop("extension", None)
    got = _run(tmp_path / "bare", {"instrument": "phq9", "require_band_coverage": False},
               {"bare.json": json.dumps(bare).encode()})
    assert got.outcome is Outcome.INCONCLUSIVE, got.message
    assert "phq-001 (band, crisis_flag)" in got.message


def test_a_wrong_band_in_the_fhir_extension_fails(tmp_path: Path) -> None:
    doc = json.loads((FHIR / "phq9-r5.json").read_text())
    ext = doc["entry"][0]["resource"]["extension"]
    next(e for e in ext if e["url"] == BAND_URL)["valueString"] = "mild"  # total 2: minimal
    got = _run(tmp_path, {"instrument": "phq9", "require_band_coverage": False},
               {"x.json": json.dumps(doc).encode()})
    assert got.outcome is Outcome.FAIL
    assert "phq-001 band: app mild, reference minimal" in got.message
