"""QuestionnaireResponses from FHIR Bundles (R5 and R4B), checked code by code."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from p0gate.clinical.fhir import BAND_URL, CRISIS_URL, FhirError, parse_bundle
from tests.conftest import TEST_DATA

FHIR = TEST_DATA / "fhir"


def bundle(name: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((FHIR / name).read_text())
    return data


def test_an_r5_phq9_bundle_gives_its_responses() -> None:
    responses = parse_bundle(bundle("phq9-r5.json"))
    assert responses and {r.instrument for r in responses} == {"phq9"}
    first = responses[0]
    assert len(first.answers) == 9 and first.total == 2
    assert (first.band, first.crisis_flag) == ("minimal", False)  # p0gate's extensions
    assert first.where == f"entry 0 (QuestionnaireResponse/{first.response_id})"


def test_an_r4b_gad7_bundle_reads_too() -> None:
    responses = parse_bundle(bundle("gad7-r4b.json"))
    assert responses and all(len(r.answers) == 7 for r in responses)


@pytest.mark.parametrize("name", ["not-a-bundle.json", "not-loinc.json", "unknown-code.json",
                                  "wrong-questionnaire.json", "bad-status.json"])
def test_what_cannot_be_scored_is_refused(name: str) -> None:
    with pytest.raises(FhirError):
        parse_bundle(bundle(name))


def test_a_bundle_without_responses_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FhirError, match="no QuestionnaireResponse"):
        parse_bundle({"resourceType": "Bundle", "type": "collection", "entry": []})


def _with(extensions: list[dict[str, object]]) -> dict[str, object]:
    doc = bundle("phq9-r5.json")
    doc["entry"][0]["resource"]["extension"] = extensions  # type: ignore[index]
    return doc


@pytest.mark.parametrize(("extensions", "words"), [
    ([{"url": BAND_URL, "valueString": "mild"}, {"url": BAND_URL, "valueString": "mild"}],
     "must appear once"),
    ([{"url": BAND_URL, "valueString": "low"}], "is not a PHQ-9 band"),
    ([{"url": CRISIS_URL, "valueString": "true"}], "must appear once with one valueBoolean"),
])
def test_the_apps_band_and_flag_are_stated_once_and_well(
    extensions: list[dict[str, object]], words: str
) -> None:
    with pytest.raises(FhirError, match=words):
        parse_bundle(_with(extensions))


def test_a_band_written_as_a_code_or_in_capitals_is_read() -> None:
    found = parse_bundle(_with([{"url": BAND_URL, "valueCode": "Minimal"},
                                {"url": CRISIS_URL, "valueBoolean": True}]))[0]
    assert (found.band, found.crisis_flag) == ("minimal", True)


EXTENSION = st.fixed_dictionaries(
    {"url": st.sampled_from([BAND_URL, CRISIS_URL, "http://example.org/other"])},
    optional={"valueString": st.text(max_size=20) | st.sampled_from(["mild", " Severe "]),
              "valueCode": st.sampled_from(["minimal", "moderately severe", "x"]),
              "valueBoolean": st.booleans(), "valueInteger": st.integers(-5, 5)})


@settings(max_examples=60, deadline=None)
@given(st.lists(EXTENSION, max_size=4))
def test_any_extensions_give_a_band_and_flag_or_a_clear_refusal(
    extensions: list[dict[str, object]]
) -> None:
    """Whatever extensions an exporter writes, the app's band is a PHQ-9 band or absent,
    its flag a boolean or absent, or the Bundle is refused with a FhirError: never guessed,
    never a crash."""
    try:
        first = parse_bundle(_with(extensions))[0]
    except FhirError:
        return
    assert first.band in {None, "minimal", "mild", "moderate", "moderately severe", "severe"}
    assert first.crisis_flag in {None, True, False}
    stated = [e for e in extensions if e["url"] == BAND_URL]
    assert (first.band is None) == (not stated)
