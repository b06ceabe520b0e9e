"""A second pack, for a payments API, evaluated with every report: nothing of the default
pack's system leaks into them."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from p0gate.cli import run
from p0gate.packtest import run_pack_tests, validate_pack
from tests.conftest import ROOT
from tests.signkit import make_pki

EXAMPLE = ROOT / "examples" / "payments-api"
PACK = EXAMPLE / "pack"
NOW = "2025-03-03T12:00:00Z"  # the canary gate; the ga gate two days later
GA_NOW = "2025-03-05T12:00:00Z"
# Words of the default pack's system and domain: none may appear in this pack's reports.
FOREIGN = re.compile(r"p0-cloud|\bP0\b|crisis|hipaa|\b988\b|mbct|phq|gad-?7|suicid|mental|clinical"
                     r"|164\.312", re.IGNORECASE)


def test_the_pack_validates_and_its_fixture_cases_hold() -> None:
    assert "7 controls" in str(validate_pack(PACK))
    report = run_pack_tests(PACK)
    assert (report.passed, report.failed) == (5, 0)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("payments")
    pki = make_pki(folder / "pki", "rsa")
    paths = {name: folder / f"release.{name}" for name in ("json", "junit", "sarif", "html",
                                                            "pdf", "markdown")}
    code = run(["evaluate", "--evidence", str(EXAMPLE / "evidence" / "release-2.3.0"),
                "--policies", str(PACK), "--gate", "canary", "--now", NOW, "-q",
                "--sarif-root", str(ROOT), "--ledger", f"sqlite:///{folder / 'ledger.db'}",
                "--key", str(pki.key), "--cert", str(pki.cert),
                *(arg for n, p in paths.items() for arg in ("--report", f"{n}={p}"))])
    assert code == 0
    return paths


def test_a_passing_release_is_go_with_every_report(reports: dict[str, Path]) -> None:
    result = json.loads(reports["json"].read_bytes())
    assert result["decision"] == "GO" and result["pack"]["name"] == "payments-api"
    assert result["gate"] == "canary"
    outcomes = {c["id"]: c["outcome"] for c in result["controls"]}
    assert {outcomes[c] for c in ("PAY-3-AVAILABILITY", "PAY-4-ERROR-RATE")} == {
        "not_applicable"}  # measured in the canary: the ga gate's
    assert set(outcomes.values()) == {"pass", "not_applicable"}
    suites = ET.parse(reports["junit"]).getroot()
    assert [s.get("name") for s in suites] == ["sre", "release", "appsec"]
    assert suites.get("failures") == "0"
    assert PdfReader(BytesIO(reports["pdf"].read_bytes())).pdf_header == "%PDF-1.7"


def test_only_the_security_authoritys_rules_are_security_alerts(
    reports: dict[str, Path],
) -> None:
    rules = json.loads(reports["sarif"].read_bytes())["runs"][0]["tool"]["driver"]["rules"]
    marked = {r["id"] for r in rules if "security-severity" in r["properties"]}
    assert marked == {"PAY-7-SAST"}


@pytest.mark.parametrize("name", ["junit", "sarif", "html", "pdf", "markdown", "json"])
def test_no_report_carries_the_default_packs_content(
    reports: dict[str, Path], name: str
) -> None:
    data = reports[name].read_bytes()
    text = ("\n".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages)
            if name == "pdf" else data.decode("utf-8"))
    found = sorted({m.group(0) for m in FOREIGN.finditer(text)})
    assert not found, f"{name} report mentions {found}"
    if name in ("html", "pdf"):
        assert "Payments SRE" in text and "Traceability: pci-dss" in text
        assert "HIPAA" not in text


def test_the_canarys_evidence_opens_ga_a_day_after_the_canarys_go(
    reports: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = f"sqlite:///{reports['json'].parent / 'ledger.db'}"  # holds the canary's GO
    canary = EXAMPLE / "evidence" / "release-2.3.0-canary"
    early = run(["evaluate", "--evidence", str(canary), "--policies", str(PACK), "--gate", "ga",
                 "--now", "2025-03-03T20:00:00Z", "--ledger", ledger])
    assert early == 1 and "after canary (1 days): NOT met" in capsys.readouterr().out
    code = run(["evaluate", "--evidence", str(canary), "--policies", str(PACK), "--gate", "ga",
                "--now", GA_NOW, "--ledger", ledger, "-q"])
    assert code == 0
    wrong = run(["evaluate", "--evidence", str(canary), "--policies", str(PACK),
                 "--gate", "canary", "--now", GA_NOW])
    assert wrong == 3 and "judges pre-release evidence" in capsys.readouterr().err


def test_a_failing_release_is_no_go_and_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["evaluate", "--evidence", str(EXAMPLE / "evidence" / "release-2.3.1"),
                "--policies", str(PACK), "--gate", "canary", "--now", NOW])
    shown = " ".join(capsys.readouterr().out.split())
    assert code == 1
    assert "test_idempotent_refund_on_retry" in shown and "B602" in shown
    assert "[469.354 ms vs required < 400 ms]" in shown
    assert not FOREIGN.search(shown)
