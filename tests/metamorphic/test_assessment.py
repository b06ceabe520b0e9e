"""assessment-accuracy: one response the app mis-scored, however its CSV writes the other
cells, never passes."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import strategies as st

from p0gate.checks.assessment import AssessmentAccuracyCheck
from p0gate.clinical.fhir import BAND_URL, CRISIS_URL
from p0gate.clinical.instruments import PHQ9
from p0gate.clinical.vectors import vectors_csv
from tests.bundlekit import File
from tests.metamorphic.kit import DATA, never_passes, passes, respelled, run_relation

BASE = vectors_csv(PHQ9)
CHECK = AssessmentAccuracyCheck.model_validate({"type": "assessment-accuracy",
                                                "kind": "assessment-scores",
                                                "instrument": "phq9"})
BANDS = ["minimal", "mild", "moderate", "moderately severe", "severe"]


@st.composite
def misscored(draw: st.DrawFn) -> bytes:
    rows = list(csv.DictReader(io.StringIO(BASE)))
    row = dict(draw(st.sampled_from(rows)))
    wrong = draw(st.sampled_from(["total", "band", "crisis_flag"]))
    if wrong == "total":
        row["total"] = str(int(row["total"]) + draw(st.sampled_from([-1, 1, 27])))
    elif wrong == "band":
        row["band"] = draw(respelled(draw(st.sampled_from(
            [b for b in BANDS if b != row["band"]]))))
    else:
        row["crisis_flag"] = draw(st.sampled_from(["false", "FALSE", " false "] if
                                                  row["crisis_flag"] == "true" else
                                                  ["true", "TRUE", "True "]))
    row["response_id"] = "misscored-1"
    rows.insert(draw(st.integers(0, len(rows))), row)
    return written(rows)


def written(rows: list[dict[str, str]]) -> bytes:
    """Rows of the assessment-scores CSV, as a CSV file's bytes."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def test_a_misscored_response_is_never_hidden() -> None:
    passes(CHECK, [File("scores", "assessment-scores", "scores.csv", BASE.encode())])

    def relation(data: object) -> None:
        never_passes(CHECK, [File("scores", "assessment-scores", "scores.csv",
                                  data)])  # type: ignore[arg-type]

    run_relation(misscored(), relation)


@st.composite
def partial(draw: st.DrawFn) -> bytes:
    """The reference vectors with one piece of evidence missing: a row left out, or a
    row's band or crisis flag left blank (or blank-looking: spaces)."""
    rows = list(csv.DictReader(io.StringIO(BASE)))
    index = draw(st.integers(0, len(rows) - 1))
    if draw(st.booleans()):
        del rows[index]
    else:
        rows[index][draw(st.sampled_from(["band", "crisis_flag"]))] = draw(
            st.sampled_from(["", " ", "\t", "  "]))
    rows = draw(st.permutations(rows))
    return written(rows)


def test_partial_evidence_never_passes() -> None:
    """Accuracy cannot pass on a response whose band or flag is unstated, nor without every
    band edge and item-9 value of `p0gate vectors`."""

    def relation(data: object) -> None:
        never_passes(CHECK, [File("scores", "assessment-scores", "scores.csv",
                                  data)])  # type: ignore[arg-type]

    run_relation(partial(), relation)


FHIR_VECTORS = json.loads((DATA / "fhir" / "phq9-vectors.json").read_text())


@st.composite
def fhir_partial(draw: st.DrawFn) -> bytes:
    """The FHIR export of the vectors with one statement missing: a response's band or flag
    extension, its extensions moved to where p0gate does not read them, or a response."""
    doc = json.loads(json.dumps(FHIR_VECTORS))
    entries = doc["entry"]
    resource = entries[draw(st.integers(0, len(entries) - 1))]["resource"]
    how = draw(st.sampled_from(["band", "flag", "moved", "dropped"]))
    if how == "dropped":
        entries.remove(next(e for e in entries if e["resource"] is resource))
    elif how == "moved":  # on the first item instead of the response: not where p0gate reads
        resource["item"][0]["extension"] = resource.pop("extension")
    else:
        url = BAND_URL if how == "band" else CRISIS_URL
        resource["extension"] = [e for e in resource["extension"] if e["url"] != url]
    return json.dumps(draw(st.sampled_from([doc, {**doc, "entry": entries[::-1]}]))).encode()


def test_partial_fhir_evidence_never_passes() -> None:
    passes(CHECK, [File("fhir", "assessment-scores", "fhir.json",
                        json.dumps(FHIR_VECTORS).encode())])

    def relation(data: object) -> None:
        never_passes(CHECK, [File("fhir", "assessment-scores", "fhir.json",
                                  data)])  # type: ignore[arg-type]

    run_relation(fhir_partial(), relation)
