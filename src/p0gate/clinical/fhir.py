"""PHQ-9 / GAD-7 QuestionnaireResponses from a FHIR Bundle (R5, or R4/R4B).

``fhir.resources`` checks structure and types but not code values, so this module checks
what matters itself: the response ``status``, the questionnaire (LOINC panel 44249-1 or
69737-5), and every answer code (a LOINC LA code of the 0-3 scale; an ordinal value the
coding carries must agree with it; a ``valueInteger`` answer is the ordinal itself). Items
are found by LOINC code in ``linkId`` (NLM forms write "/44250-9") or ``definition``; the
app's total is the answer of item 44261-6 / 70274-6.

LOINC has no item for the app's severity band or crisis flag, so p0gate reads them from two
extensions on the QuestionnaireResponse itself (``BAND_URL`` with ``valueString`` or
``valueCode``, a band name such as "moderately severe"; ``CRISIS_URL`` with
``valueBoolean``). A response without them states no band or flag (the check is then
inconclusive); one that states either twice, or a value of another type, is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from p0gate.clinical.instruments import INSTRUMENTS, Instrument, answer_value
from p0gate.clinical.responses import Response

LOINC = "http://loinc.org"
STATUSES = {"in-progress", "completed", "amended", "entered-in-error", "stopped"}
BAND_URL = "urn:p0gate:fhir:severity-band"
CRISIS_URL = "urn:p0gate:fhir:crisis-flag"
ORDINAL_URLS = {
    "http://hl7.org/fhir/StructureDefinition/ordinalValue",
    "http://hl7.org/fhir/StructureDefinition/itemWeight",
    "http://hl7.org/fhir/StructureDefinition/iso21090-CO-value",
}


class FhirError(Exception):
    """Something in the Bundle p0gate cannot score; the reader names file and entry."""


def parse_bundle(doc: dict[str, Any]) -> list[Response]:
    """Every scorable QuestionnaireResponse of a Bundle (entered-in-error ones are skipped)."""
    if doc.get("resourceType") != "Bundle":
        raise FhirError(f"not a FHIR Bundle (resourceType {doc.get('resourceType')!r})")
    bundle = _validated(doc)
    found = [
        (i, e.resource)
        for i, e in enumerate(bundle.entry or [])
        if e.resource is not None and e.resource.__resource_type__ == "QuestionnaireResponse"
    ]
    if not found:
        raise FhirError("the Bundle holds no QuestionnaireResponse")
    return [r for i, qr in found if (r := _response(i, qr)) is not None]


def _validated(doc: dict[str, Any]) -> Any:
    from fhir.resources.bundle import Bundle as R5Bundle
    from fhir.resources.R4B.bundle import Bundle as R4BBundle
    from pydantic import ValidationError

    try:
        return R5Bundle.model_validate(doc)
    except ValidationError:
        pass
    try:
        return R4BBundle.model_validate(doc)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise FhirError(f"not a valid FHIR R4/R4B/R5 Bundle: {loc}: {err['msg']}") from None


def _response(index: int, qr: Any) -> Response | None:
    name = f"entry {index} (QuestionnaireResponse/{qr.id or '?'})"
    if qr.status not in STATUSES:
        raise FhirError(
            f"{name}: status {qr.status!r} is not a QuestionnaireResponse "
            f"status ({', '.join(sorted(STATUSES))})"
        )
    if qr.status == "entered-in-error":
        return None
    items = list(_items(qr.item or []))
    instrument = _instrument(name, qr.questionnaire, items)
    answers: list[int | None] = [None] * instrument.items
    total: int | None = None
    for code, item in items:
        number = instrument.item_number(code)
        if number is not None:
            answers[number - 1] = _answer(name, instrument, code, item)
        elif code == instrument.total_code:
            total = _total(name, item)
    band, flag = _stated(name, instrument, qr.extension or [])
    return Response(
        qr.id or f"entry-{index}", instrument.name, tuple(answers), total, band, flag, name
    )


def _stated(name: str, instrument: Instrument, extensions: list[Any]) -> tuple[str | None,
                                                                                bool | None]:
    """The app's band and crisis flag from the response's p0gate extensions (or None)."""
    band = _extension(name, extensions, BAND_URL, ("valueString", "valueCode"))
    flag = _extension(name, extensions, CRISIS_URL, ("valueBoolean",))
    bands = [b.name for b in instrument.bands]
    if band is not None and str(band).strip().lower() not in bands:
        raise FhirError(f"{name}: band {band!r} ({BAND_URL}) is not a {instrument.title} "
                        f"band ({', '.join(bands)})")
    return (None if band is None else str(band).strip().lower(),
            None if flag is None else bool(flag))


def _extension(name: str, extensions: list[Any], url: str, types: tuple[str, ...]) -> object:
    found = [e for e in extensions if e.url == url]
    if not found:
        return None
    values = [getattr(found[0], t, None) for t in types]
    given = [v for v in values if v is not None]
    if len(found) > 1 or len(given) != 1:
        raise FhirError(f"{name}: extension {url} must appear once with one "
                        f"{' or '.join(types)}")
    return given[0]


def _items(items: list[Any]) -> Iterator[tuple[str, Any]]:
    for item in items:
        yield _code(item), item
        yield from _items(item.item or [])
        for answer in item.answer or []:
            yield from _items(answer.item or [])


def _code(item: Any) -> str:
    for text in (item.linkId or "", item.definition or ""):
        last = text.replace("#", "/").rstrip("/").rsplit("/", 1)[-1]
        if _known(last):
            return str(last)
    return str(item.linkId or "")


def _known(code: str) -> bool:
    return any(
        code in i.item_codes or code in {i.total_code, i.panel} for i in INSTRUMENTS.values()
    )


def _instrument(name: str, questionnaire: str | None, items: list[tuple[str, Any]]) -> Instrument:
    codes = {code for code, _ in items}
    by_items = [i for i in INSTRUMENTS.values() if codes & set(i.item_codes)]
    named = [i for i in INSTRUMENTS.values() if questionnaire and i.panel in questionnaire]
    if questionnaire and "loinc.org" in questionnaire and not named:
        raise FhirError(
            f"{name}: questionnaire {questionnaire!r} is neither PHQ-9 "
            "(44249-1) nor GAD-7 (69737-5)"
        )
    if len(by_items) != 1 or (named and named[0] is not by_items[0]):
        seen = ", ".join(i.title for i in by_items) or "no PHQ-9 or GAD-7 items"
        raise FhirError(
            f"{name}: questionnaire {questionnaire or '(none)'} does not match its items ({seen})"
        )
    return by_items[0]


def _answer(name: str, instrument: Instrument, code: str, item: Any) -> int:
    answers = item.answer or []
    if len(answers) != 1:
        raise FhirError(f"{name}: item {code} has {len(answers)} answers, expected one")
    answer = answers[0]
    if answer.valueInteger is not None:
        return int(answer.valueInteger)
    coding = answer.valueCoding
    if coding is None:
        raise FhirError(f"{name}: item {code} answer is neither valueCoding nor valueInteger")
    if coding.system != LOINC:
        raise FhirError(
            f"{name}: item {code} answer code {coding.system}|{coding.code} is not LOINC ({LOINC})"
        )
    value = answer_value(code, coding.code or "")
    if value is None:
        raise FhirError(
            f"{name}: item {code} answer code {coding.code!r} is not a "
            f"{instrument.title} answer (LA6568-5, LA6569-3, LA6570-1, LA6571-9)"
        )
    ordinal = _ordinal(coding)
    if ordinal is not None and ordinal != value:
        raise FhirError(
            f"{name}: item {code} answer {coding.code} carries ordinal value "
            f"{ordinal}, but LOINC scores it {value}"
        )
    return value


def _ordinal(coding: Any) -> int | None:
    for extension in coding.extension or []:
        if extension.url in ORDINAL_URLS:
            number = (
                extension.valueDecimal
                if extension.valueDecimal is not None
                else extension.valueInteger
            )
            if number is not None and float(number).is_integer():
                return int(number)
    return None


def _total(name: str, item: Any) -> int | None:
    answers = item.answer or []
    if not answers:
        return None
    value = answers[0].valueInteger
    if value is None or len(answers) != 1:
        raise FhirError(f"{name}: the total (item {_code(item)}) must be one valueInteger")
    return int(value)
