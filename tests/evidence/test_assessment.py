"""The assessment-scores reader: CSV and FHIR Bundles (validated by fhir.resources)."""

from __future__ import annotations

import pytest

from p0gate.clinical.instruments import PHQ9
from p0gate.clinical.responses import AssessmentScores
from p0gate.clinical.vectors import vectors_csv
from p0gate.errors import EvidenceError
from p0gate.evidence.assessment import AssessmentReader
from tests.bundlekit import blob_of
from tests.conftest import TEST_DATA

FHIR = TEST_DATA / "fhir"
HEAD = "response_id,instrument,item1,item2,item3,item4,item5,item6,item7,item8,item9,total,band"


def _read(data: bytes, path: str) -> AssessmentScores:
    return AssessmentReader().read(blob_of("assessment-scores", path, data, "scores"))


def _fhir(name: str) -> AssessmentScores:
    return _read((FHIR / name).read_bytes(), f"clinical/{name}")


def test_reference_vectors_csv_round_trips() -> None:
    got = _read(vectors_csv(PHQ9).encode(), "clinical/vectors.csv")
    first = got.responses[0]
    assert (first.response_id, first.instrument, first.total, first.band, first.crisis_flag) == (
        "phq9-t00-i90",
        "phq9",
        0,
        "minimal",
        False,
    )
    assert len(got.responses) == 34
    assert got.responses[1].where == "line 3"


def test_csv_empty_cell_is_missing_answer_and_out_of_range_is_kept() -> None:
    body = (
        f"{HEAD},crisis_flag\n"
        "r1,phq9,1,1,,1,1,1,1,1,0,,,false\n"
        "r2,phq9,1,1,4,1,1,1,1,1,0,11,moderate,false\n"
        "g1,gad7,1,2,3,0,0,0,0,,,6,mild,\n"
    ).encode()
    r1, r2, g1 = _read(body, "a.csv").responses
    assert r1.answers[2] is None and r1.total is None and r1.band is None
    assert r2.answers[2] == 4
    assert (g1.instrument, g1.answers, g1.crisis_flag) == ("gad7", (1, 2, 3, 0, 0, 0, 0), None)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("response_id,instrument\nr1,phq9\n", "missing CSV columns: total"),
        (f"{HEAD}\nr1,phq10,0,0,0,0,0,0,0,0,0,0,minimal\n", "line 2: instrument 'phq10'"),
        (f"{HEAD}\nr1,phq9,0,0,x,0,0,0,0,0,0,0,minimal\n", "line 2, item3: 'x' is not an integer"),
        (f"{HEAD}\nr1,phq9,0,0,0,0,0,0,0,0,0,0,low\n", "line 2, band: 'low' is not a PHQ-9 band"),
        (f"{HEAD},crisis_flag\nr1,phq9,0,0,0,0,0,0,0,0,0,0,minimal,yes\n", "crisis_flag: 'yes'"),
        (f"{HEAD}\ng1,gad7,0,0,0,0,0,0,0,1,,0,minimal\n", "item8 given, but GAD-7 has 7 items"),
        (f"{HEAD}\n", "no responses"),
        ("response_id," + "x" * 200_000 + "\n", "line 1: malformed CSV: field larger than"),
    ],
)
def test_bad_csv_names_file_and_line(body: str, message: str) -> None:
    with pytest.raises(EvidenceError, match=message) as info:
        _read(body.encode(), "clinical/scores.csv")
    assert "clinical/scores.csv" in str(info.value)


def test_fhir_r5_bundle_with_nested_items_and_ordinal_extensions() -> None:
    got = _fhir("phq9-r5.json")
    ids = [r.response_id for r in got.responses]
    assert ids == ["phq-001", "phq-002", "phq-003", "phq-004", "phq-005", "phq-006"]
    assert got.responses[2].answers == (2, 1, 2, 1, 1, 2, 1, 1, 1)
    assert got.responses[2].total == 12
    unfinished = got.responses[5]  # in-progress: item 9 unanswered, no total
    assert unfinished.answers[8] is None and unfinished.total is None


def test_fhir_r4b_bundle_maps_la18938_3_to_two() -> None:
    got = _fhir("gad7-r4b.json")
    assert [r.instrument for r in got.responses] == ["gad7"] * 4
    assert got.responses[1].answers == (1, 2, 1, 1, 1, 0, 1)
    assert [r.total for r in got.responses] == [2, 7, 11, 18]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not-a-bundle.json", "not a FHIR Bundle \\(resourceType 'Patient'\\)"),
        ("wrong-questionnaire.json", "QuestionnaireResponse/phq-wrong-q.*does not match its items"),
        ("phq2.json", "QuestionnaireResponse/phq2-1.*neither PHQ-9"),
        ("not-loinc.json", "QuestionnaireResponse/gad-snomed.*snomed.*is not LOINC"),
        (
            "unknown-code.json",
            "QuestionnaireResponse/gad-difficulty-code.*'LA6575-0' is not a GAD-7",
        ),
        ("bad-status.json", "QuestionnaireResponse/phq-bogus.*status 'finished'"),
    ],
)
def test_bad_fhir_names_file_and_response(name: str, message: str) -> None:
    with pytest.raises(EvidenceError, match=message) as info:
        _fhir(name)
    assert f"clinical/{name}" in str(info.value)


def test_fhir_structure_errors_are_reported() -> None:
    body = (
        b'{"resourceType": "Bundle", "type": "collection", "entry": [{"resource": '
        b'{"resourceType": "QuestionnaireResponse", "status": "completed", "item": '
        b'[{"linkId": "44250-9", "answer": [{"valueCoding": {"code": 3}}]}]}}]}'
    )
    with pytest.raises(EvidenceError, match=r"not a valid FHIR R4/R4B/R5 Bundle: entry\.0"):
        _read(body, "b.json")
    with pytest.raises(EvidenceError, match="no QuestionnaireResponse"):
        _read(b'{"resourceType": "Bundle", "type": "collection"}', "b.json")


def test_other_suffix_is_refused() -> None:
    with pytest.raises(EvidenceError, match=r"\.csv or a FHIR Bundle"):
        _read(b"<x/>", "scores.xml")
