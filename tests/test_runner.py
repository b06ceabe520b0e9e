"""The runner: inputs in, evaluation, outputs out (reports, the CI step summary, the ledger)."""

from __future__ import annotations

from pathlib import Path

import pytest

from p0gate.errors import InputError, OutputError, UsageError
from p0gate.result import Result
from p0gate.runner import (
    Inputs,
    Outputs,
    choose_gate,
    evaluate_paths,
    parse_duration,
    parse_now,
    parse_reports,
    publish,
    stored_result,
)
from tests.conftest import EXAMPLES, NOW, NOW_ISO, POLICIES


@pytest.fixture(scope="module")
def result() -> Result:
    return evaluate_paths(Inputs(EXAMPLES / "no-go" / "beta", POLICIES), gate="beta", now=NOW)


def test_the_example_is_no_go_at_the_beta_gate(result: Result) -> None:
    assert result.gate == "beta" and result.decision == "NO-GO" and result.after is None


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
    assert parse_now(NOW_ISO) == NOW
    for bad, words in (("2025-09-28T12:00:00", "no timezone"), ("soon", "not ISO 8601")):
        with pytest.raises(UsageError, match=words):
            parse_now(bad)


def test_declared_gates_need_gate_and_monitoring_finds_the_watched_one(tmp_path: Path) -> None:
    from p0gate.policy import load_pack
    from tests.bundlekit import File, make_bundle

    pack = load_pack(POLICIES)
    bundle = make_bundle(tmp_path, [File("d", "document", "d.txt", b"x")], phase="production",
                         rollout_percent=50)
    with pytest.raises(UsageError, match=r"--gate is required.*beta, staging"):
        choose_gate(pack, None, bundle, "evaluate")
    assert choose_gate(pack, None, bundle, "monitor") == "production-75"
    assert choose_gate(pack, "complete", bundle, "evaluate") == "complete"


def test_in_the_simple_form_the_gate_defaults_to_the_bundles_phase(tmp_path: Path) -> None:
    from p0gate.policy import load_pack
    from tests.bundlekit import File, make_bundle
    from tests.lifecyclekit import simple_pack

    pack = load_pack(simple_pack(tmp_path / "pack"))
    named = make_bundle(tmp_path / "a", [File("d", "document", "d.txt", b"x")], phase="beta")
    other = make_bundle(tmp_path / "b", [File("d", "document", "d.txt", b"x")], phase="qa")
    assert choose_gate(pack, None, named, "evaluate") == "beta"
    assert choose_gate(pack, None, named, "monitor") == "beta"
    with pytest.raises(UsageError, match="--gate is required"):
        choose_gate(pack, None, other, "evaluate")


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("15m", 900), ("2h", 7200),
                                               ("1.5d", 129600)])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text).total_seconds() == seconds


@pytest.mark.parametrize("bad", ["", "15", "m", "-5m", "0s", "15 minutes", "nanm"])
def test_bad_durations_are_usage_errors(bad: str) -> None:
    with pytest.raises(UsageError, match="not a duration"):
        parse_duration(bad)


def test_a_missing_stored_result_is_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the result"):
        stored_result(tmp_path / "absent.json")


def test_sarif_locations_start_at_the_given_root(result: Result, tmp_path: Path) -> None:
    import json

    from p0gate.runner import ReportRequest
    from tests.conftest import ROOT

    path = tmp_path / "r.sarif"
    publish(result, Outputs([ReportRequest("sarif", path)], pack_root=POLICIES,
                            sarif_root=ROOT), recorded_at=NOW)
    found = json.loads(path.read_text())["runs"][0]["results"][0]["locations"][0]
    assert found["physicalLocation"]["artifactLocation"]["uri"].startswith("policies/")


def test_with_a_ledger_the_html_report_draws_each_gates_history(result: Result,
                                                               tmp_path: Path) -> None:
    from p0gate.prior import read_history
    from p0gate.runner import ReportRequest

    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    first = Outputs(ledger=url)
    publish(result, first, recorded_at=NOW)
    history = read_history(result, url, trust=POLICIES / "trust")
    assert [(p.gate, p.decision, p.current) for p in history] == [("beta", "NO-GO", True)]
    page = tmp_path / "r.html"
    steps: list[str] = []
    publish(result, Outputs([ReportRequest("html", page)], ledger=url, progress=steps.append,
                            trust=POLICIES / "trust"), recorded_at=NOW)
    assert "Decisions per gate" in page.read_text() and "beta NO-GO at" in page.read_text()
    assert steps == [f"writing html report {page}"]
    without = tmp_path / "plain.html"
    publish(result, Outputs([ReportRequest("html", without)]), recorded_at=NOW)
    assert "Decisions per gate" not in without.read_text()
