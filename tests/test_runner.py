"""The runner: inputs in, evaluation, outputs out (reports, the CI step summary, the ledger)."""

from __future__ import annotations

from pathlib import Path

import pytest

from p0gate.errors import InputError, OutputError, UsageError
from p0gate.evidence.bundle import open_bundle
from p0gate.result import Result
from p0gate.runner import (
    Inputs,
    Outputs,
    choose_phase,
    evaluate_paths,
    parse_now,
    parse_reports,
    publish,
    stored_result,
)
from tests.conftest import EXAMPLES, NOW, POLICIES


@pytest.fixture(scope="module")
def result() -> Result:
    return evaluate_paths(Inputs(EXAMPLES / "beta-no-go", POLICIES), phase=None, now=NOW)


def test_the_phase_defaults_to_the_bundles(result: Result) -> None:
    assert result.phase == "beta" and result.decision == "NO-GO"


def test_publish_writes_reports_the_step_summary_and_the_ledger(result: Result,
                                                               tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    outputs = Outputs(parse_reports((f"json={tmp_path}/r/result.json",)), None, summary,
                      f"sqlite:///{tmp_path / 'ledger.db'}")
    published = publish(result, outputs, recorded_at=NOW)
    assert published.reports == [tmp_path / "r" / "result.json"]
    assert stored_result(published.reports[0]).digest == result.digest
    assert "p0gate: NO-GO" in summary.read_text()
    assert published.entry is not None and published.entry.seq == 1
    assert published.entry.decision == "NO-GO" and published.entry.result_digest == result.digest


def test_publish_to_nothing_writes_nothing(result: Result, tmp_path: Path) -> None:
    assert publish(result, Outputs(), recorded_at=NOW).reports == []
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_step_summary_is_an_output_error(result: Result, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="GITHUB_STEP_SUMMARY"):
        publish(result, Outputs(step_summary=tmp_path), recorded_at=NOW)


@pytest.mark.parametrize(("spec", "words"), [
    ("json", "FORMAT=PATH"), ("xml=x.xml", "unknown format 'xml'"), ("json=", "FORMAT=PATH")])
def test_report_requests_are_checked_first(spec: str, words: str) -> None:
    with pytest.raises(UsageError, match=words):
        parse_reports((spec,))


def test_now_needs_iso_8601_with_a_zone() -> None:
    assert parse_now("2025-09-28T12:00:00Z") == NOW
    for bad, words in (("2025-09-28T12:00:00", "no timezone"), ("soon", "not ISO 8601")):
        with pytest.raises(UsageError, match=words):
            parse_now(bad)


def test_a_bundle_without_a_gate_phase_needs_phase(tmp_path: Path) -> None:
    from tests.bundlekit import File, make_bundle

    bundle = make_bundle(tmp_path, [File("d", "document", "d.txt", b"x")], phase="pre-release")
    with pytest.raises(UsageError, match="--phase is required"):
        choose_phase(None, bundle)
    with open_bundle(EXAMPLES / "beta-go") as beta:
        assert choose_phase(None, beta) == "beta" and choose_phase("staging", beta) == "staging"


def test_a_missing_stored_result_is_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the result"):
        stored_result(tmp_path / "absent.json")


def test_with_a_ledger_the_html_report_draws_each_gates_history(result: Result,
                                                               tmp_path: Path) -> None:
    from p0gate.runner import ReportRequest, read_history

    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    first = Outputs(ledger=url)
    publish(result, first, recorded_at=NOW)
    history = read_history(result, url)
    assert [(p.gate, p.decision, p.current) for p in history] == [("beta", "NO-GO", True)]
    page = tmp_path / "r.html"
    steps: list[str] = []
    publish(result, Outputs([ReportRequest("html", page)], ledger=url, progress=steps.append),
            recorded_at=NOW)
    assert "Decisions per gate" in page.read_text() and "beta NO-GO at" in page.read_text()
    assert steps == [f"writing html report {page}"]
    without = tmp_path / "plain.html"
    publish(result, Outputs([ReportRequest("html", without)]), recorded_at=NOW)
    assert "Decisions per gate" not in without.read_text()


def test_sarif_locations_start_at_the_given_root(result: Result, tmp_path: Path) -> None:
    import json

    from p0gate.runner import ReportRequest
    from tests.conftest import ROOT

    path = tmp_path / "r.sarif"
    publish(result, Outputs([ReportRequest("sarif", path)], pack_root=POLICIES,
                            sarif_root=ROOT), recorded_at=NOW)
    found = json.loads(path.read_text())["runs"][0]["results"][0]["locations"][0]
    assert found["physicalLocation"]["artifactLocation"]["uri"].startswith("policies/")


def test_a_tampered_ledger_draws_no_history(result: Result, tmp_path: Path) -> None:
    import sqlite3

    from p0gate.runner import read_history

    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    publish(result, Outputs(ledger=url), recorded_at=NOW)
    with sqlite3.connect(tmp_path / "ledger.db") as db:
        db.execute("UPDATE p0gate_decisions SET decision = 'GO'")
    with pytest.raises(InputError, match="does not verify"):
        read_history(result, url)
