"""`report`, `verify`, PDF signing flags and $GITHUB_STEP_SUMMARY through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from p0gate.cli import run
from p0gate.formats import FORMATS
from tests.conftest import EXAMPLES, NOW_ISO, POLICIES
from tests.signkit import PASSWORD, DemoPki, make_pki


def evaluate(example: str, *extra: str) -> int:
    return run(["evaluate", "--evidence", str(EXAMPLES / example), "--policies",
                str(POLICIES), "--phase", "beta", "--now", NOW_ISO, "-q", *extra])


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> DemoPki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("result") / "no-go.json"
    code = evaluate("beta-no-go", "--report", f"json={path}")
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
        evaluate("beta-go", "--report", f"pdf={pdf}", "--pkcs12", str(pki.p12))
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
                str(EXAMPLES / "beta-go"),
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
                str(EXAMPLES / "beta-no-go"),
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
        evaluate("beta-no-go")
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
