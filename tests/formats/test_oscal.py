from __future__ import annotations

import json

from trestle.oscal.assessment_results import Model

from p0gate.formats.oscal import OscalFormatter
from p0gate.result import Result
from tests.formats.conftest import Golden


def test_golden(sample: Result, golden: Golden) -> None:
    golden("oscal.json", OscalFormatter().render(sample), json.loads)


def test_compliance_trestle_loads_it(example: Result) -> None:
    model = Model.model_validate(json.loads(OscalFormatter().render(example)))
    result = model.assessment_results.results[0]
    applicable = [c for c in example.controls if c.outcome.value != "not_applicable"]
    assert [f.target.target_id for f in result.findings] == [c.id for c in applicable]
    states = {f.target.target_id: f.target.status.state.value for f in result.findings}
    assert all(
        states[c.id] == ("satisfied" if c.outcome.value == "pass" else "not-satisfied")
        for c in applicable
    )


def test_uuids_are_stable_and_unique(sample: Result) -> None:
    first, again = OscalFormatter().render(sample), OscalFormatter().render(sample)
    assert first == again
    doc = json.loads(first)["assessment-results"]
    uuids = (
        [doc["uuid"]]
        + [f["uuid"] for f in doc["results"][0]["findings"]]
        + [o["uuid"] for o in doc["results"][0]["observations"]]
    )
    assert len(uuids) == len(set(uuids))
