from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from p0gate.formats import templating
from p0gate.formats.pdf import PdfFormatter
from p0gate.result import Result, load_result
from p0gate.runner import Inputs, evaluate_paths
from p0gate.signing import load_signer, sign_pdf, sign_report
from p0gate.verify import verify_report
from tests.conftest import EXAMPLES, POLICIES, TEST_DATA
from tests.signkit import PASSWORD, DemoPki, make_pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> DemoPki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def evaluated() -> Result:
    return evaluate_paths(
        Inputs(evidence=EXAMPLES / "beta-go", policies=POLICIES),
        phase="beta",
        now=datetime(2025, 9, 28, 12, tzinfo=UTC),
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
        inputs=Inputs(evidence=EXAMPLES / "beta-go", policies=POLICIES),
    )
    assert found.problems == () and found.differences == ()
    assert found.reevaluated is not None
    assert found.printed == found.reevaluated.digest == evaluated.digest
    assert found.notes == ()  # anchored and re-evaluated: nothing left to the signer


def test_other_evidence_gives_another_digest(report: Path) -> None:
    found = verify_report(
        report, inputs=Inputs(evidence=EXAMPLES / "beta-no-go", policies=POLICIES)
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
        lambda name, _r, signed_by=None: original(name, other, signed_by=signed_by),
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
        Inputs(evidence=EXAMPLES / "beta-no-go", policies=POLICIES, waivers=waivers),
        phase="beta",
        now=datetime(2025, 9, 28, 12, tzinfo=UTC),
    )
    assert [w.control for w in waived.waivers.applied] == ["PF-1-SYNC"]
    path = tmp_path / "waived.pdf"
    identity = load_signer(pkcs12=pki.p12, password=PASSWORD.encode())
    path.write_bytes(sign_report(waived, identity))
    bundle, pack = EXAMPLES / "beta-no-go", POLICIES
    without = verify_report(path, inputs=Inputs(evidence=bundle, policies=pack))
    assert not without.ok
    assert any("the waivers differ: the report had 1 applied, 1 refused, 0 unused, this "
               "re-evaluation none (give the original --waivers)" in d
               for d in without.differences), without.differences
    with_waivers = verify_report(path, trust_cert=pki.ca, inputs=Inputs(
        evidence=bundle, policies=pack, waivers=waivers))
    assert with_waivers.ok and with_waivers.reevaluated is not None
    assert with_waivers.reevaluated.digest == waived.digest
