from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import BaseModel

from p0gate.formats import templating
from p0gate.formats.base import PLAIN
from p0gate.formats.pdf import PdfFormatter
from p0gate.result import Result, load_result
from p0gate.runner import Inputs, evaluate_paths
from p0gate.signing import load_signer, sign_pdf, sign_report
from p0gate.verify import SIGNER_ALONE, verify_report
from tests.conftest import EXAMPLES, NOW, POLICIES, TEST_DATA
from tests.lifecyclekit import CONTROLS, lifecycle_pack, release
from tests.signkit import PASSWORD, DemoPki, make_pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> DemoPki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def evaluated() -> Result:
    return evaluate_paths(
        Inputs(evidence=EXAMPLES / "lifecycle" / "01-pre-release", policies=POLICIES),
        gate="beta",
        now=NOW,
    )


@pytest.fixture(scope="module")
def report(pki: DemoPki, evaluated: Result, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "beta-go.pdf"
    identity = load_signer(pkcs12=pki.p12, password=PASSWORD.encode())
    path.write_bytes(sign_report(evaluated, identity))
    return path


def test_signed_report_verifies_against_its_ca_and_the_evidence(
    report: Path, pki: DemoPki, evaluated: Result
) -> None:
    found = verify_report(
        report,
        trust_cert=pki.ca,
        inputs=Inputs(evidence=EXAMPLES / "lifecycle" / "01-pre-release", policies=POLICIES),
    )
    assert found.problems == () and found.differences == ()
    assert found.reevaluated is not None
    assert found.printed == found.reevaluated.digest == evaluated.digest
    assert found.notes == ()  # anchored and re-evaluated: nothing left to the signer


def test_other_evidence_gives_another_digest(report: Path) -> None:
    found = verify_report(
        report, inputs=Inputs(evidence=EXAMPLES / "no-go" / "beta", policies=POLICIES)
    )
    assert not found.ok
    assert any("re-evaluating the evidence gives digest" in p for p in found.problems)


def test_unsigned_report_fails(tmp_path: Path, evaluated: Result) -> None:
    path = tmp_path / "unsigned.pdf"
    path.write_bytes(PdfFormatter().render(evaluated))
    found = verify_report(path, skip_trust=True)
    assert found.problems == ("the PDF is not signed",)
    assert found.result is not None and found.printed == evaluated.digest


def test_printed_digest_must_match_the_embedded_result(
    tmp_path: Path, pki: DemoPki, evaluated: Result, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = load_result((TEST_DATA / "golden" / "result.json").read_bytes())
    original = templating.render
    monkeypatch.setattr(
        templating,
        "render",
        lambda name, _r, context=PLAIN: original(name, other, context),
    )
    identity = load_signer(key=pki.key, cert=pki.cert)
    path = tmp_path / "forged.pdf"
    path.write_bytes(sign_report(evaluated, identity))  # prints other's digest
    found = verify_report(path, trust_cert=pki.ca)
    assert found.printed == other.digest
    assert [p for p in found.problems if "printed digest" in p]


def test_a_pdf_that_is_not_a_report(tmp_path: Path, pki: DemoPki) -> None:
    from weasyprint import HTML

    identity = load_signer(key=pki.key, cert=pki.cert)
    path = tmp_path / "other.pdf"
    path.write_bytes(sign_pdf(bytes(HTML(string="<p>hello</p>").write_pdf() or b""), identity))
    found = verify_report(path)
    assert found.result is None
    assert any("no embedded result.json" in p for p in found.problems)


def test_a_waived_report_reevaluates_only_with_its_waivers(
    pki: DemoPki, tmp_path: Path
) -> None:
    waivers = EXAMPLES / "waivers.yaml"
    waived = evaluate_paths(
        Inputs(evidence=EXAMPLES / "no-go" / "beta", policies=POLICIES, waivers=waivers),
        gate="beta",
        now=NOW,
    )
    assert [w.control for w in waived.waivers.applied] == ["PF-1-SYNC"]
    path = tmp_path / "waived.pdf"
    identity = load_signer(pkcs12=pki.p12, password=PASSWORD.encode())
    path.write_bytes(sign_report(waived, identity))
    bundle, pack = EXAMPLES / "no-go" / "beta", POLICIES
    without = verify_report(path, inputs=Inputs(evidence=bundle, policies=pack))
    assert not without.ok
    assert any("the waivers differ: the report had 1 applied, 1 refused, 0 unused, this "
               "re-evaluation none (give the original --waivers)" in d
               for d in without.differences), without.differences
    with_waivers = verify_report(path, trust_cert=pki.ca, inputs=Inputs(
        evidence=bundle, policies=pack, waivers=waivers))
    assert with_waivers.ok and with_waivers.reevaluated is not None
    assert with_waivers.reevaluated.digest == waived.digest


WHEN = datetime(2025, 10, 1, tzinfo=UTC)  # a day after the shop evidence was collected
NO_PRIOR = "\n".join(CONTROLS.split("\n  - id: GV-1-PRIOR")[0].splitlines()) + "\n"


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A pack declaring its gates (ga comes 2 days after a canary GO) and canary evidence."""
    root = tmp_path_factory.mktemp("shop")
    pack = lifecycle_pack(root / "pack", controls=NO_PRIOR)
    return pack, release(root / "canary", phase="canary", values=[10.0, 20.0]).root


def _signed(result: Result, pki: DemoPki, path: Path) -> Path:
    path.write_bytes(sign_report(result, load_signer(key=pki.key, cert=pki.cert)))
    return path


def _json(value: object) -> object:
    if isinstance(value, list):
        return [_json(item) for item in value]
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else value


def _forged_pdf(result: Result, pki: DemoPki, path: Path, **change: object) -> Path:
    """``result`` edited and re-sealed (a recomputed digest), then signed by the trusted key
    around ``sign_report``'s own refusal: what a forger with the key could make."""
    from p0gate.formats.base import ReportContext, Signing
    from p0gate.formats.pdf import render_pdf
    from p0gate.signing import pdfa_for

    edits = {key: _json(value) for key, value in change.items()}
    forged = Result.model_validate({**result.payload(), **edits}).sealed()
    identity = load_signer(key=pki.key, cert=pki.cert)
    signing = Signing(signer=identity.name, signed_at="2025-10-01T00:00:00Z",
                      pdfa=pdfa_for(identity))
    path.write_bytes(sign_pdf(render_pdf(forged, ReportContext(signing=signing)), identity))
    return path


def test_a_no_go_for_an_unmet_after_verifies_and_a_go_made_of_it_does_not(
    shop: tuple[Path, Path], pki: DemoPki, tmp_path: Path
) -> None:
    """Every control passes; only the missing canary GO makes the ga gate NO-GO. The report
    verifies (its rule takes after.met) with and without re-evaluation; the same result
    turned GO does not, nor does a GO whose after: was edited to met without the evidence's
    history."""
    pack, bundle = shop
    ledger = f"sqlite:///{tmp_path / 'none.db'}"  # no such ledger: an empty history
    inputs = Inputs(evidence=bundle, policies=pack, ledger=ledger)
    result = evaluate_paths(inputs, gate="ga", now=WHEN)
    assert result.decision == "NO-GO" and result.after is not None and not result.after.met
    assert {c.outcome.value for c in result.controls} <= {"pass", "not_applicable"}
    pdf = _signed(result, pki, tmp_path / "no-go.pdf")
    assert verify_report(pdf, trust_cert=pki.ca).ok
    again = verify_report(pdf, trust_cert=pki.ca, inputs=inputs)
    assert again.ok and again.reevaluated is not None and again.differences == ()
    go = verify_report(_forged_pdf(result, pki, tmp_path / "go.pdf", decision="GO"),
                       trust_cert=pki.ca)
    assert not go.ok and any("it says GO, but its controls give NO-GO (after: canary is not "
                             "met)" in p for p in go.problems), go.problems
    met = result.after.model_copy(update={"met": True, "message": "forged"})
    consistent = _forged_pdf(result, pki, tmp_path / "met.pdf", decision="GO", after=met)
    assert verify_report(consistent, trust_cert=pki.ca).ok  # on the signer's word alone
    caught = verify_report(consistent, trust_cert=pki.ca, inputs=inputs)
    assert not caught.ok and any("after: canary was met in the report" in d
                                 for d in caught.differences), caught.differences


def test_a_monitor_rollback_verifies_and_an_ok_made_of_it_does_not(
    shop: tuple[Path, Path], pki: DemoPki, tmp_path: Path
) -> None:
    """A monitor ROLLBACK (a trigger fired by an emergency alert of an emergency_rollback
    authority) verifies, re-evaluated in monitor mode; turned OK, or NO-GO, or its trigger's
    flag dropped, it does not."""
    pack, _ = shop
    bundle = release(tmp_path / "dev", phase="dev", values=[10.0, 250.0]).root
    inputs = Inputs(evidence=bundle, policies=pack)
    result = evaluate_paths(inputs, gate=None, now=WHEN, mode="monitor")
    assert (result.mode, result.decision, result.gate) == ("monitor", "ROLLBACK", "canary")
    assert result.escalation and result.pack.authorities[0].emergency_rollback
    pdf = _signed(result, pki, tmp_path / "rollback.pdf")
    again = verify_report(pdf, trust_cert=pki.ca, inputs=inputs)
    assert again.ok and again.reevaluated is not None
    assert again.reevaluated.digest == result.digest
    for decision, words in (("OK", "it says OK, but its controls give ROLLBACK"),
                            ("NO-GO", "it says NO-GO, but its controls give ROLLBACK")):
        forged = _forged_pdf(result, pki, tmp_path / f"{decision}.pdf", decision=decision)
        found = verify_report(forged, trust_cert=pki.ca)
        assert not found.ok and any(words in p for p in found.problems), found.problems
    calm = [c.model_copy(update={"rollback": False}) for c in result.controls]
    dropped = _forged_pdf(result, pki, tmp_path / "dropped.pdf", controls=calm,
                          rollback=False, decision="OK", escalation=[])
    found = verify_report(dropped, trust_cert=pki.ca)
    assert not found.ok and any("LAT-1-MAX: an emergency alert on a control of ops "
                                "(emergency_rollback) without its rollback flag" in p
                                for p in found.problems), found.problems


def test_a_monitor_result_re_evaluates_at_its_own_max_age(
    shop: tuple[Path, Path], pki: DemoPki, tmp_path: Path
) -> None:
    """Monitoring records its --max-age and verify re-evaluates with it: an OK made with
    12-hour-old evidence under --max-age 1d verifies; the same OK with its max-age edited to
    1h is refused (at 1h monitoring cannot vouch), and a ROLLBACK whose stale-evidence warning
    came from a 1h max-age, edited to 1d, is explained."""
    from datetime import timedelta

    pack, _ = shop
    calm = release(tmp_path / "calm", phase="dev", values=[10.0, 20.0]).root
    inputs = Inputs(evidence=calm, policies=pack)
    ok = evaluate_paths(inputs, gate=None, now=WHEN, mode="monitor", max_age=timedelta(days=1))
    assert (ok.decision, ok.max_age_seconds) == ("OK", 86400.0)
    found = verify_report(_signed(ok, pki, tmp_path / "ok.pdf"), trust_cert=pki.ca,
                          inputs=inputs)
    assert found.ok and found.reevaluated is not None
    assert found.reevaluated.digest == ok.digest
    edited = _forged_pdf(ok, pki, tmp_path / "edited.pdf", max_age_seconds=3600.0)
    assert verify_report(edited, trust_cert=pki.ca).ok  # on the signer's word alone
    refused = verify_report(edited, trust_cert=pki.ca, inputs=inputs)
    assert not refused.ok and refused.reevaluated is None and SIGNER_ALONE not in refused.notes
    assert any("with the report's --max-age (1:00:00) cannot vouch for every trigger, yet "
               "the report says OK" in p for p in refused.problems), refused.problems

    hot = release(tmp_path / "hot", phase="dev", values=[10.0, 250.0]).root
    inputs = Inputs(evidence=hot, policies=pack)
    rollback = evaluate_paths(inputs, gate=None, now=WHEN, mode="monitor",
                              max_age=timedelta(hours=1))
    assert rollback.decision == "ROLLBACK"
    assert any(w.startswith("not monitored: trigger LAT-1-MAX") for w in rollback.warnings)
    assert verify_report(_signed(rollback, pki, tmp_path / "rb.pdf"), trust_cert=pki.ca,
                         inputs=inputs).ok
    widened = _forged_pdf(rollback, pki, tmp_path / "widened.pdf", max_age_seconds=86400.0)
    found = verify_report(widened, trust_cert=pki.ca, inputs=inputs)
    assert not found.ok and any("monitored with --max-age 1 day, 0:00:00, the report warns "
                                "not monitored: trigger LAT-1-MAX" in d
                                for d in found.differences), found.differences


def test_an_evaluation_keeps_its_digest_without_a_max_age(evaluated: Result) -> None:
    """max_age_seconds is recorded in monitor mode only: an evaluation's JSON has no such
    key, so results written before it keep their digests."""
    assert evaluated.max_age_seconds is None
    assert "max_age_seconds" not in evaluated.payload()
