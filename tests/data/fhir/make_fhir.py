"""Write the FHIR test Bundles and check that fhir.resources (R5 / R4B) validates each one.

    .venv/bin/python tests/data/fhir/make_fhir.py

Good files: phq9-r5.json (NLM-style nested items, linkId "/44250-9", ordinalValue
extensions, the total as valueInteger of 44261-6), gad7-r4b.json (plain linkIds, item
68509-9 answered with LA18938-3) and phq9-vectors.json (the answers of `p0gate vectors
phq9`, every band edge and item-9 value). Each scored response states the app's band and
crisis flag in p0gate's extensions (urn:p0gate:fhir:severity-band, urn:p0gate:fhir:crisis-flag),
computed here by the "app" from its own band table. Bad files are valid FHIR that p0gate must
refuse.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOINC = "http://loinc.org"
LA = ("LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9")
DISPLAY = ("Not at all", "Several days", "More than half the days", "Nearly every day")
PHQ9 = ("44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5",
        "44253-3", "44260-8")
GAD7 = ("69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7")
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
BAND_URL = "urn:p0gate:fhir:severity-band"
CRISIS_URL = "urn:p0gate:fhir:crisis-flag"
PHQ9_BANDS = ((4, "minimal"), (9, "mild"), (14, "moderate"), (19, "moderately severe"),
              (27, "severe"))
GAD7_BANDS = ((4, "minimal"), (9, "mild"), (14, "moderate"), (21, "severe"))


def stated(total: int | None, bands: tuple[tuple[int, str], ...],
           item9: int | None = None) -> list[dict[str, object]]:
    """The app's band (and PHQ-9 crisis flag) as p0gate's extensions."""
    out: list[dict[str, object]] = []
    if total is not None:
        out.append({"url": BAND_URL,
                    "valueString": next(name for high, name in bands if total <= high)})
    if item9 is not None:
        out.append({"url": CRISIS_URL, "valueBoolean": item9 > 0})
    return out


def coding(value: int, *, code: str | None = None, ordinal: bool = False,
           system: str = LOINC) -> dict[str, object]:
    out: dict[str, object] = {"system": system, "code": code or LA[value],
                              "display": DISPLAY[value]}
    if ordinal:
        out["extension"] = [{"url": ORDINAL, "valueDecimal": value}]
    return out


def item(link: str, value: int, **kw: object) -> dict[str, object]:
    return {"linkId": link, "answer": [{"valueCoding": coding(value, **kw)}]}  # type: ignore[arg-type]


def response(rid: str, questionnaire: str, items: list[dict[str, object]],
             status: str = "completed") -> dict[str, object]:
    return {"resourceType": "QuestionnaireResponse", "id": rid, "status": status,
            "questionnaire": questionnaire, "authored": "2025-09-20T10:00:00Z",
            "subject": {"reference": "Patient/example"}, "item": items}


def phq9(rid: str, answers: list[int] | tuple[int, ...], total: int | None,
         **kw: object) -> dict[str, object]:
    children = [item(f"/{c}", a, ordinal=True) for c, a in zip(PHQ9, answers, strict=False)]
    if total is not None:
        children.append({"linkId": "/44261-6", "answer": [{"valueInteger": total}]})
    children.append({"linkId": "/69722-7", "answer": [{"valueCoding": {
        "system": LOINC, "code": "LA6572-7", "display": "Not difficult at all"}}]})
    out = response(rid, "http://loinc.org/q/44249-1",
                   [{"linkId": "/44249-1", "text": "PHQ-9 quick depression assessment",
                     "item": children}], **kw)  # type: ignore[arg-type]
    extensions = stated(total, PHQ9_BANDS, answers[8] if len(answers) == 9 else None)
    if extensions:
        out["extension"] = extensions
    return out


def gad7(rid: str, answers: list[int], total: int | None) -> dict[str, object]:
    items = [item(c, a, code="LA18938-3" if c == "68509-9" and a == 2 else None)
             for c, a in zip(GAD7, answers, strict=True)]
    if total is not None:
        items.append({"linkId": "70274-6", "answer": [{"valueInteger": total}]})
    out = response(rid, "http://loinc.org/q/69737-5", items)
    out["extension"] = stated(total, GAD7_BANDS)
    return out


def vectors() -> list[dict[str, object]]:
    """PHQ-9 responses over the answers of `p0gate vectors phq9`, scored by the "app"."""
    import csv
    import io

    from p0gate.clinical.instruments import PHQ9 as REFERENCE
    from p0gate.clinical.vectors import vectors_csv

    rows = csv.DictReader(io.StringIO(vectors_csv(REFERENCE)))
    answers = [(r["response_id"], tuple(int(r[f"item{i}"]) for i in range(1, 10))) for r in rows]
    return [phq9(rid, a, sum(a)) for rid, a in answers]


def bundle(bid: str, resources: list[dict[str, object]]) -> dict[str, object]:
    return {"resourceType": "Bundle", "id": bid, "type": "collection",
            "entry": [{"fullUrl": f"urn:uuid:00000000-0000-4000-8000-{i:012d}", "resource": r}
                      for i, r in enumerate(resources)]}


def files() -> dict[str, tuple[str, dict[str, object]]]:
    wrong_q = phq9("phq-wrong-q", [1] * 9, 9)
    wrong_q["questionnaire"] = "http://loinc.org/q/69737-5"
    phq2 = response("phq2-1", "http://loinc.org/q/55757-9",
                    [item("44250-9", 1), item("44255-8", 2)])
    snomed = gad7("gad-snomed", [1] * 7, 7)
    snomed["item"][0]["answer"][0]["valueCoding"] = {  # type: ignore[index]
        "system": "http://snomed.info/sct", "code": "373066001", "display": "Yes"}
    swapped = gad7("gad-difficulty-code", [1] * 7, 7)
    swapped["item"][3]["answer"][0]["valueCoding"]["code"] = "LA6575-0"  # type: ignore[index]
    return {
        "phq9-r5.json": ("R5", bundle("phq9-app-export", [
            phq9("phq-001", [0, 0, 1, 0, 0, 1, 0, 0, 0], 2),
            phq9("phq-002", [1, 1, 1, 1, 1, 1, 1, 1, 0], 8),
            phq9("phq-003", [2, 1, 2, 1, 1, 2, 1, 1, 1], 12),
            phq9("phq-004", [2, 2, 2, 2, 2, 2, 2, 2, 0], 16),
            phq9("phq-005", [3, 3, 3, 3, 2, 2, 2, 2, 2], 22),
            phq9("phq-006", [1, 1, 1, 1, 1, 1, 1, 1], None, status="in-progress"),
            phq9("phq-007", [3] * 9, 27, status="entered-in-error"),
            {"resourceType": "Patient", "id": "example", "gender": "unknown"},
        ])),
        "gad7-r4b.json": ("R4B", bundle("gad7-app-export", [
            gad7("gad-001", [0, 1, 0, 0, 1, 0, 0], 2),
            gad7("gad-002", [1, 2, 1, 1, 1, 0, 1], 7),
            gad7("gad-003", [2, 2, 2, 2, 1, 1, 1], 11),
            gad7("gad-004", [3, 2, 3, 2, 3, 2, 3], 18),
        ])),
        "phq9-vectors.json": ("R5", bundle("phq9-vectors", vectors())),
        "not-a-bundle.json": ("R5", {"resourceType": "Patient", "id": "p1"}),
        "wrong-questionnaire.json": ("R5", bundle("wrong-q", [wrong_q])),
        "phq2.json": ("R5", bundle("phq2", [phq2])),
        "not-loinc.json": ("R4B", bundle("snomed", [snomed])),
        "unknown-code.json": ("R4B", bundle("swapped", [swapped])),
        "bad-status.json": ("R5", bundle("status", [
            phq9("phq-bogus", [0] * 9, 0, status="finished")])),
    }


def validate(version: str, doc: dict[str, object]) -> None:
    """fhir.resources must accept every file: p0gate's checks go beyond it."""
    if version == "R4B":
        from fhir.resources.R4B import get_fhir_model_class
    else:
        from fhir.resources import get_fhir_model_class
    get_fhir_model_class(str(doc["resourceType"])).model_validate(doc)


def main() -> None:
    for name, (version, doc) in files().items():
        validate(version, doc)
        (HERE / name).write_text(json.dumps(doc, indent=1) + "\n")
        print(f"wrote {name} ({version}, validated by fhir.resources)")


if __name__ == "__main__":
    main()
