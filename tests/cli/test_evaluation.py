"""`report`, `verify`, PDF signing flags and $GITHUB_STEP_SUMMARY through the real CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from p0gate.cli import run
from p0gate.formats import FORMATS
from tests.bundlekit import write_keypair
from tests.conftest import EXAMPLES, NOW_ISO, POLICIES
from tests.signkit import PASSWORD, DemoPki, make_pki

PRE_RELEASE, BETA = EXAMPLES / "lifecycle" / "01-pre-release", EXAMPLES / "lifecycle" / "02-beta"


def evaluate(example: str, *extra: str) -> int:
    return run(["evaluate", "--evidence", str(EXAMPLES / example), "--policies",
                str(POLICIES), "--gate", "beta", "--now", NOW_ISO, "-q", *extra])


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> DemoPki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("result") / "no-go.json"
    code = evaluate("no-go/beta", "--report", f"json={path}")
    assert code == 1
    return path


def test_report_renders_every_format_from_a_stored_result(stored: Path, tmp_path: Path) -> None:
    args = [arg for f in FORMATS for arg in ("--report", f"{f.name}={tmp_path}/r.{f.name}")]
    assert run(["report", str(stored), *args]) == 0
    assert (tmp_path / "r.json").read_bytes() == stored.read_bytes()
    assert json.loads((tmp_path / "r.sarif").read_bytes())["version"] == "2.1.0"
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF-")
    assert len(list(tmp_path.iterdir())) == len(FORMATS)


def test_evaluate_signs_with_pkcs12_and_verify_accepts_it(
    pki: DemoPki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("P0GATE_PKCS12_PASSWORD", PASSWORD)
    pdf = tmp_path / "go.pdf"
    assert (
        evaluate("lifecycle/01-pre-release", "--report", f"pdf={pdf}", "--pkcs12", str(pki.p12))
        == 0
    )
    assert (
        run(
            [
                "verify",
                str(pdf),
                "--trust-cert",
                str(pki.ca),
                "--evidence",
                str(EXAMPLES / "lifecycle" / "01-pre-release"),
                "--policies",
                str(POLICIES),
            ]
        )
        == 0
    )
    assert (
        run(
            [
                "verify",
                str(pdf),
                "--evidence",
                str(EXAMPLES / "no-go" / "beta"),
                "--policies",
                str(POLICIES),
            ]
        )
        == 1
    )


def test_report_signs_with_pem_and_unsigned_pdf_does_not_verify(
    pki: DemoPki, stored: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        run(
            [
                "report",
                str(stored),
                "--report",
                f"pdf={tmp_path}/s.pdf",
                "--key",
                str(pki.key),
                "--cert",
                str(pki.cert),
            ]
        )
        == 0
    )
    assert run(["verify", str(tmp_path / "s.pdf"), "--trust-cert", str(pki.ca)]) == 0
    assert run(["report", str(stored), "--report", f"pdf={tmp_path}/u.pdf"]) == 0
    capsys.readouterr()
    assert run(["verify", str(tmp_path / "u.pdf")]) == 1
    assert "the PDF is not signed" in capsys.readouterr().err


def test_signing_errors(
    pki: DemoPki, stored: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("P0GATE_PKCS12_PASSWORD", "wrong")
    out = f"pdf={tmp_path}/x.pdf"
    assert run(["report", str(stored), "--report", out, "--pkcs12", str(pki.p12)]) == 4
    assert (
        run(
            [
                "report",
                str(stored),
                "--report",
                out,
                "--pkcs12",
                str(pki.p12),
                "--key",
                str(pki.key),
            ]
        )
        == 2
    )
    assert run(["report", str(stored), "--report", out, "--key", str(pki.key)]) == 3
    assert not (tmp_path / "x.pdf").exists()


def test_report_rejects_an_edited_result(stored: Path, tmp_path: Path) -> None:
    edited = tmp_path / "edited.json"
    edited.write_bytes(stored.read_bytes().replace(b'"NO-GO"', b'"GO"'))
    assert run(["report", str(edited), "--report", f"markdown={tmp_path}/m.md"]) == 3
    assert run(["report", str(tmp_path / "absent.json"), "--report", "markdown=m.md"]) == 3


def test_step_summary_is_appended_when_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert (
        evaluate("no-go/beta")
        == 1
    )
    text = summary.read_text()
    assert text.startswith("earlier step\n") and "p0gate: NO-GO" in text


def test_report_points_sarif_into_the_pack_only_when_it_is_the_results(
    stored: Path, tmp_path: Path
) -> None:
    from tests.conftest import ROOT

    def first_location(policies: Path) -> dict[str, str]:
        out = tmp_path / f"{policies.name}.sarif"
        assert run(["report", str(stored), "--report", f"sarif={out}", "--policies",
                    str(policies), "--sarif-root", str(ROOT)]) == 0
        run_ = json.loads(out.read_bytes())["runs"][0]
        return run_["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]

    assert first_location(POLICIES)["uriBaseId"] == "%SRCROOT%"
    other = ROOT / "examples" / "payments-api" / "pack"
    assert first_location(other)["uriBaseId"] == "PACKROOT"


def forged(stored: Path, target: Path, change: object) -> Path:
    """``stored`` edited by ``change(data)`` and re-sealed with a recomputed digest: what
    someone who can run sha256 makes of a NO-GO."""
    from p0gate.result import digest_of

    data = json.loads(stored.read_bytes())
    change(data)  # type: ignore[operator]
    data.pop("digest")
    data["digest"] = digest_of(data)
    target.write_text(json.dumps(data))
    return target


def _go(data: dict[str, object]) -> None:
    data["decision"] = "GO"
    data["rollback"] = False


def _go_counts(data: dict[str, object]) -> None:
    _go(data)
    data["counts"] = {**data["counts"], "pass": 99, "fail": 0}  # type: ignore[dict-item]


def _waived(data: dict[str, object]) -> None:
    _go(data)
    for control in data["controls"]:  # type: ignore[attr-defined]
        if control["outcome"] in ("fail", "error", "inconclusive"):
            control["outcome"], control["rollback"] = "waived", False


@pytest.mark.parametrize("change", [_go, _go_counts, _waived])
def test_report_refuses_a_result_that_disagrees_with_itself(
    stored: Path, tmp_path: Path, pki: DemoPki, capsys: pytest.CaptureFixture[str],
    change: object,
) -> None:
    """A GO whose blocking controls fail (digest recomputed) is neither rendered nor signed."""
    path = forged(stored, tmp_path / "forged.json", change)
    pdf = tmp_path / "forged.pdf"
    code = run(["report", str(path), "--report", f"pdf={pdf}", "--key", str(pki.key),
                "--cert", str(pki.cert)])
    err = capsys.readouterr().err
    assert code == 3 and "disagrees with itself" in err, err
    assert not pdf.exists()


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e999", "1" + "0" * 30,
                                   "9" * 5000])
def test_report_refuses_impossible_numbers_without_crashing(
    stored: Path, tmp_path: Path, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for where in ("counts", "measured"):
        data = json.loads(stored.read_bytes())
        target = data["counts"] if where == "counts" else data["controls"][0]["measured"]
        target["x"] = "@@"
        path = tmp_path / f"{where}.json"
        path.write_text(json.dumps(data).replace('"@@"', value))
        assert run(["report", str(path), "--report", f"markdown={tmp_path}/m.md"]) == 3
        assert "not valid JSON" in capsys.readouterr().err


@pytest.fixture(scope="module")
def signed_go(pki: DemoPki, tmp_path_factory: pytest.TempPathFactory) -> Path:
    pdf = tmp_path_factory.mktemp("signed") / "go.pdf"
    assert evaluate("lifecycle/01-pre-release", "--report", f"pdf={pdf}", "--key",
                    str(pki.key), "--cert", str(pki.cert)) == 0
    return pdf


def _verify(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = run(["verify", *args])
    got = capsys.readouterr()
    return code, got.out, got.err


def test_verify_needs_a_trust_anchor_unless_told_to_skip_it(
    signed_go: Path, pki: DemoPki, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _verify(capsys, str(signed_go))
    assert code == 1 and "no trust anchor" in err and "NOT verified" in out
    assert out.splitlines()[0].startswith("signature: VALID")  # the verdict comes first
    code, out, _ = _verify(capsys, str(signed_go), "--insecure-skip-trust")
    assert code == 0 and "note: trust not checked (--insecure-skip-trust)" in out
    assert "note: not re-evaluated: trust in this decision rests on the signer alone" in out
    code, out, _ = _verify(capsys, str(signed_go), "--trust-cert", str(pki.ca))
    assert code == 0 and "chains to the trust anchor" in out.splitlines()[0]


def test_verify_accepts_an_added_document_timestamp(
    signed_go: Path, pki: DemoPki, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.signkit import add_document_timestamp

    stamped = tmp_path / "stamped.pdf"
    stamped.write_bytes(add_document_timestamp(signed_go.read_bytes()))
    code, out, err = _verify(capsys, str(stamped), "--trust-cert", str(pki.ca), "--evidence",
                             str(PRE_RELEASE), "--policies", str(POLICIES))
    assert code == 0, out + err
    assert "1 document timestamp(s) after it" in out.splitlines()[0]


def test_a_byte_flipped_report_says_the_signed_bytes_changed(
    signed_go: Path, pki: DemoPki, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import re

    data = signed_go.read_bytes()
    found = re.search(rb"/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)", data)
    assert found is not None
    gap = range(int(found.group(1)), int(found.group(2)))  # the signature itself: not signed

    def signed_byte(at: int) -> int:  # the PDF's layout varies from run to run
        return gap.stop + 1 if at in gap else at

    for at in (400, signed_byte(len(data) // 3), signed_byte(len(data) // 2),
               data.index(b"/ByteRange") + 3):
        flipped = tmp_path / f"flipped-{at}.pdf"
        flipped.write_bytes(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:])
        code, out, err = _verify(capsys, str(flipped), "--trust-cert", str(pki.ca))
        assert code == 1 and "Traceback" not in out + err
        assert out.splitlines()[0] == ("signature: INVALID (the signed bytes changed: the file "
                                       "is not what was signed)"), out
        assert "certificate" not in out.splitlines()[0]


def _forge_pass(data: dict[str, object], *, numbers: bool = True) -> None:
    """A NO-GO made GO and consistent with itself: every failing control says pass (and,
    with ``numbers``, drops the requirements its measured values miss)."""
    controls = data["controls"]
    for control in controls:  # type: ignore[attr-defined]
        if control["outcome"] in ("fail", "error", "inconclusive"):
            control.update(outcome="pass", rollback=False, alert_level=None)
            if numbers:
                control.pop("bounds", None)
    outcomes = [c["outcome"] for c in controls]  # type: ignore[attr-defined]
    data["counts"] = {o: outcomes.count(o) for o in data["counts"]}  # type: ignore[attr-defined]
    data.update(decision="GO", rollback=False, warnings=[])


def test_a_forged_consistent_result_is_caught_only_with_the_evidence(
    stored: Path, pki: DemoPki, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Signed by the trusted key, a self-consistent forgery verifies on the signer's word
    (and says so); re-evaluated, it names the controls the evidence decides otherwise."""
    forgery = forged(stored, tmp_path / "forged.json", _forge_pass)
    pdf = tmp_path / "forged.pdf"
    assert run(["report", str(forgery), "--report", f"pdf={pdf}", "--key", str(pki.key),
                "--cert", str(pki.cert)]) == 0
    code, out, _ = _verify(capsys, str(pdf), "--trust-cert", str(pki.ca))
    assert code == 0 and "rests on the signer alone" in out
    code, out, _ = _verify(capsys, str(pdf), "--trust-cert", str(pki.ca), "--evidence",
                             str(EXAMPLES / "no-go" / "beta"), "--policies",
                             str(POLICIES))
    assert code == 1 and "re-evaluated:" in out and "(DIFFERENT)" in out
    assert "differs: control CR-1-LATENCY: pass in the report, fail now" in out


def test_report_refuses_a_pass_whose_own_numbers_miss_its_requirement(
    stored: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Outcomes flipped, decision, counts and digest recomputed, the measured values left:
    the result disagrees with itself, so it is not signed (it was, exit 0)."""
    forgery = forged(stored, tmp_path / "flipped.json",
                     lambda data: _forge_pass(data, numbers=False))
    assert run(["report", str(forgery), "--report", f"markdown={tmp_path}/m.md"]) == 3
    assert "CR-2-MAX: passes, but its max 409.348 misses <= 200 ms" in capsys.readouterr().err
    assert not (tmp_path / "m.md").exists()


def test_a_report_whose_result_disagrees_with_itself_is_not_verified(
    stored: Path, pki: DemoPki, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from p0gate.formats.base import ReportContext, Signing
    from p0gate.formats.pdf import render_pdf
    from p0gate.result import load_result
    from p0gate.signing import load_signer, sign_pdf

    forgery = load_result(forged(stored, tmp_path / "f.json", _go).read_bytes())
    identity = load_signer(key=pki.key, cert=pki.cert)
    pdf = tmp_path / "inconsistent.pdf"
    signing = ReportContext(signing=Signing(signer=identity.name, signed_at=NOW_ISO))
    pdf.write_bytes(sign_pdf(render_pdf(forgery, signing), identity))
    code, out, err = _verify(capsys, str(pdf), "--trust-cert", str(pki.ca))
    assert code == 1 and out.splitlines()[0].startswith("signature: VALID")
    assert "the embedded result disagrees with itself: it says GO, but its controls give " \
        "NO-GO" in err


@pytest.fixture(scope="module")
def staging_pdf(pki: DemoPki, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The beta evidence at the staging gate (after: a beta GO 8 days before, in a ledger of
    its own), evaluated with its baseline and a trust store of its own (a copy of the pack's
    with one more key), signed."""
    folder = tmp_path_factory.mktemp("staging")
    trust = folder / "trust"
    shutil.copytree(POLICIES / "trust", trust)
    write_keypair(trust, "extra")
    with (trust / "trust.yaml").open("a") as handle:
        handle.write("  - name: Extra\n    roles: [executive]\n    public_key: extra.pub.pem\n")
    ledger = f"sqlite:///{folder / 'ledger.db'}"
    assert run(["evaluate", "--evidence", str(PRE_RELEASE), "--policies", str(POLICIES),
                "--gate", "beta", "--now", NOW_ISO, "-q", "--ledger", ledger]) == 0
    pdf = folder / "staging.pdf"
    assert run(["evaluate", "--evidence", str(BETA), "--policies",
                str(POLICIES), "--gate", "staging", "--now", "2025-09-28T00:00:00Z", "-q",
                "--baseline", str(PRE_RELEASE), "--trust", str(trust), "--ledger", ledger,
                "--report", f"pdf={pdf}", "--key", str(pki.key), "--cert", str(pki.cert)]) == 0
    return pdf


@pytest.mark.parametrize(("given", "words"), [
    (["--trust", "TRUST"], "the report was evaluated with --baseline, this re-evaluation "
                           "without"),
    (["--baseline", str(PRE_RELEASE)],
     "the sign-offs were checked against another trust store (give the original --trust)"),
])
def test_a_mismatch_names_the_missing_flag(
    given: list[str], words: str, staging_pdf: Path, pki: DemoPki,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = [str(staging_pdf.parent / "trust") if a == "TRUST" else a for a in given]
    ledger = ["--ledger", f"sqlite:///{staging_pdf.parent / 'ledger.db'}"]
    code, out, _ = _verify(capsys, str(staging_pdf), "--trust-cert", str(pki.ca),
                           "--evidence", str(BETA), "--policies", str(POLICIES), *ledger, *args)
    assert code == 1 and f"differs: {words}" in out, out
    code, out, _ = _verify(capsys, str(staging_pdf), "--trust-cert", str(pki.ca),
                           "--evidence", str(BETA), "--policies", str(POLICIES), *ledger,
                           "--baseline", str(PRE_RELEASE), "--trust",
                           str(staging_pdf.parent / "trust"))
    assert code == 0, out


def test_a_mismatch_names_an_after_met_in_another_history(
    staging_pdf: Path, pki: DemoPki, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """Re-evaluated against a ledger without the beta GO, the staging GO's after: is not
    met: verify says so and asks for the ledger the report was evaluated with."""
    code, out, _ = _verify(capsys, str(staging_pdf), "--trust-cert", str(pki.ca),
                           "--evidence", str(BETA), "--policies", str(POLICIES),
                           "--baseline", str(PRE_RELEASE), "--trust",
                           str(staging_pdf.parent / "trust"),
                           "--ledger", f"sqlite:///{tmp_path / 'empty.db'}")
    assert code == 1 and "differs: after: beta was met in the report" in out, out
    assert "give the --ledger the report was evaluated with" in out


def test_a_mismatch_names_the_artifacts_that_differ(
    signed_go: Path, pki: DemoPki, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(PRE_RELEASE, bundle)
    with (bundle / "crisis" / "latency.csv").open("a") as handle:
        handle.write("r999999,1.000\n")
    code, out, _ = _verify(capsys, str(signed_go), "--trust-cert", str(pki.ca), "--evidence",
                           str(bundle), "--policies", str(POLICIES))
    assert code == 1  # unsealed: the bytes are refused, the controls reading them are errors
    assert "differs: control CR-1-LATENCY: pass in the report, error now" in out
    assert run(["bundle", "seal", str(bundle)]) == 0
    code, out, _ = _verify(capsys, str(signed_go), "--trust-cert", str(pki.ca), "--evidence",
                           str(bundle), "--policies", str(POLICIES))
    assert code == 1  # re-sealed: the artifact's digest is what differs
    assert "differs: artifact crisis-latency: sha256" in out, out
