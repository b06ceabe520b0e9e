"""Clinical evidence: the app's PHQ-9/GAD-7 scoring (CSV and FHIR), axe results, UI strings,
and the clinical review documents.

The axe results are real axe-core output, produced in Chromium by tools/axe/screens.mjs
over the screens in scripts/evidence_gen/screens/ and committed; this module only copies them
(no node needed). A "bad" topic mis-scores responses, ships flawed screens or unsafe copy.
"""

from __future__ import annotations

import json
from pathlib import Path

from evidence_gen import Art, Spec

TOPICS = ("accessibility", "assessment", "language", "clinical-documents")
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "data" / "axe"

# The "app" writes its LOINC codes itself, not from p0gate.clinical: a typo in p0gate's tables
# must make the example evidence disagree, not be mirrored into it.
PHQ9_ITEMS = (
    "44250-9",
    "44255-8",
    "44259-0",
    "44254-1",
    "44251-7",
    "44258-2",
    "44252-5",
    "44253-3",
    "44260-8",
)
GAD7_ITEMS = ("69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7")
LA = ("LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9")
DISPLAY = ("Not at all", "Several days", "More than half the days", "Nearly every day")
PHQ9_BANDS = (
    (4, "minimal"),
    (9, "mild"),
    (14, "moderate"),
    (19, "moderately severe"),
    (27, "severe"),
)
GAD7_BANDS = ((4, "minimal"), (9, "mild"), (14, "moderate"), (21, "severe"))

BAND_URL = "urn:p0gate:fhir:severity-band"  # where p0gate reads the app's band and flag
CRISIS_URL = "urn:p0gate:fhir:crisis-flag"


def _vectors(name: str) -> list[tuple[str, tuple[int, ...]]]:
    """The answers of `p0gate vectors NAME` (every band edge and item-9 value), which the
    "app" scores with its own code below, as an app team does."""
    import csv
    import io

    from p0gate.clinical.instruments import INSTRUMENTS
    from p0gate.clinical.vectors import vectors_csv

    rows = csv.DictReader(io.StringIO(vectors_csv(INSTRUMENTS[name])))
    items = 9 if name == "phq9" else 7
    return [(r["response_id"], tuple(int(r[f"item{i}"]) for i in range(1, items + 1)))
            for r in rows]


PHQ9_CASES = _vectors("phq9")
GAD7_CASES = _vectors("gad7")
# In a "bad" bundle the app mis-scores these: an off-by-one band edge, item 9 left out of the
# total, no crisis flag for item 9 = 1 at a low total; a GAD-7 total one too high.
PHQ9_BAD_BAND, PHQ9_BAD_TOTAL, PHQ9_BAD_FLAG = "phq9-t05-i90", "phq9-t14-i91", "phq9-t04-i91"
GAD7_BAD_TOTAL, FHIR_BAD_TOTAL = "gad7-t09", "phq9-t19-i91"


def artifacts(spec: Spec) -> list[Art]:
    return [_axe(spec), _scores_csv(spec), _fhir(spec), _strings(spec), *_documents(spec)]


def _band(total: int, bands: tuple[tuple[int, str], ...]) -> str:
    return next(name for high, name in bands if total <= high)


def _axe(spec: Spec) -> Art:
    name = "flawed.json" if spec.bad("accessibility") else "clean.json"
    return Art(
        "axe-screens",
        "axe",
        "a11y/axe-screens.json",
        (AXE / name).read_bytes(),
        spec.at(9),
        "axe-core 4.14.1 in headless Chromium over the crisis, home and "
        "PHQ-9 screens (tools/axe/screens.mjs)",
    )


def _scores_csv(spec: Spec) -> Art:
    items = ",".join(f"item{i}" for i in range(1, 10))
    rows = [f"response_id,instrument,{items},total,band,crisis_flag"]
    for rid, answers in PHQ9_CASES:
        total, band, flag = sum(answers), _band(sum(answers), PHQ9_BANDS), answers[8] > 0
        if spec.bad("assessment") and rid == PHQ9_BAD_BAND:
            band = "minimal"  # total 5 is mild: an off-by-one band edge
        if spec.bad("assessment") and rid == PHQ9_BAD_TOTAL:
            total -= answers[8]  # item 9 left out of the total
        if spec.bad("assessment") and rid == PHQ9_BAD_FLAG:
            flag = False  # item 9 = 1 with a low total: crisis flag not raised
        cells = [f"app-{rid}", "phq9", *map(str, answers), str(total), band,
                 "true" if flag else "false"]
        rows.append(",".join(cells))
    for rid, answers in GAD7_CASES:
        total = sum(answers) + (1 if spec.bad("assessment") and rid == GAD7_BAD_TOTAL else 0)
        cells = [f"app-{rid}", "gad7", *map(str, answers), "", "", str(total),
                 _band(sum(answers), GAD7_BANDS), ""]
        rows.append(",".join(cells))
    return Art(
        "assessment-scores",
        "assessment-scores",
        "clinical/assessment-scores.csv",
        ("\n".join(rows) + "\n").encode(),
        spec.at(12),
        "app scoring test: `p0gate vectors` answered through the app's scoring code",
    )


def _qr(
    rid: str,
    panel: str,
    codes: tuple[str, ...],
    total_code: str,
    answers: tuple[int, ...],
    total: int,
) -> dict[str, object]:
    items: list[dict[str, object]] = [
        {
            "linkId": f"/{c}",
            "answer": [
                {
                    "valueCoding": {
                        "system": "http://loinc.org",
                        "code": LA[a],
                        "display": DISPLAY[a],
                    }
                }
            ],
        }
        for c, a in zip(codes, answers, strict=True)
    ]
    items.append({"linkId": f"/{total_code}", "answer": [{"valueInteger": total}]})
    bands = PHQ9_BANDS if panel == "44249-1" else GAD7_BANDS
    stated: list[dict[str, object]] = [{"url": BAND_URL, "valueString": _band(total, bands)}]
    if panel == "44249-1":
        stated.append({"url": CRISIS_URL, "valueBoolean": answers[8] > 0})
    return {
        "resourceType": "QuestionnaireResponse",
        "id": rid,
        "status": "completed",
        "questionnaire": f"http://loinc.org/q/{panel}",
        "authored": "2025-09-20T10:00:00Z",
        "subject": {"reference": "Patient/synthetic-1"},
        "extension": stated,
        "item": [{"linkId": f"/{panel}", "item": items}],
    }


def _fhir(spec: Spec) -> Art:
    resources = []
    for rid, answers in PHQ9_CASES:
        total = sum(answers) + (2 if spec.bad("assessment") and rid == FHIR_BAD_TOTAL else 0)
        resources.append(_qr(f"qr-{rid}", "44249-1", PHQ9_ITEMS, "44261-6", answers, total))
    for rid, answers in GAD7_CASES:
        resources.append(
            _qr(f"qr-{rid}", "69737-5", GAD7_ITEMS, "70274-6", answers, sum(answers))
        )
    bundle = {
        "resourceType": "Bundle",
        "id": "app-questionnaire-responses",
        "type": "collection",
        "entry": [
            {"fullUrl": f"urn:uuid:6a1b7c1e-0000-4000-8000-{i:012d}", "resource": r}
            for i, r in enumerate(resources)
        ],
    }
    return Art(
        "assessment-fhir",
        "assessment-scores",
        "clinical/questionnaire-responses.json",
        (json.dumps(bundle, indent=1) + "\n").encode(),
        spec.at(12),
        "FHIR R4 export of the app's QuestionnaireResponses over `p0gate vectors` "
        "(synthetic test patient; band and crisis flag in p0gate's extensions)",
    )


def _strings(spec: Spec) -> Art:
    options = ["Veterans, press 1", "Para español, oprima 2"]
    story = "Sam's brother died by suicide in 2019. Sam found support in a peer group."
    if spec.bad("language"):
        options.append("LGBTQ+ youth, press 3")
        story = "Sam's brother committed suicide in 2019. Sam found support in a peer group."
    doc = {
        "crisis": {
            "title": "You are not alone",
            "call": "Call or text 988, or chat at 988lifeline.org",
            "options": options,
            "danger": "If you are in immediate danger, call 911.",
        },
        "home": {"greeting": "Good morning", "practice": "Your breathing space is ready"},
        "stories": {"peer": story},
    }
    return Art(
        "ui-strings-en",
        "ui-strings",
        "i18n/en.json",
        (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode(),
        spec.at(15),
        "app string catalogue (en), exported from the localization repository",
    )


def _documents(spec: Spec) -> list[Art]:
    bad = spec.bad("clinical-documents")
    docs = {
        "mbct-fidelity-review": (
            "clinical/mbct-fidelity-review.txt",
            b"MBCT fidelity review: 8-week curriculum, all 24 practices "
            b"checked against the MBCT manual; no deviations.\n",
            "clinical authority's MBCT fidelity review (CL-1)",
        ),
        "ux-mental-health-study": (
            "clinical/ux-mental-health-study.txt",
            b"UX study with a mental-health focus: 12 participants with "
            b"lived experience, crisis and check-in flows, 0 blockers.\n",
            "UX research report (CL-4)",
        ),
        "wcag-manual-review": (
            "a11y/wcag-aa-manual-review.txt",
            b"Manual WCAG 2.2 AA review: screen readers (TalkBack, "
            b"VoiceOver), keyboard, zoom 200%, reduced motion. Pass.\n",
            "accessibility specialist's manual WCAG AA review (CL-5)",
        ),
    }
    return [
        Art(key, "document", path, b"" if bad else body, spec.at(24 * 5), source)
        for key, (path, body, source) in docs.items()
    ]
