"""`monitor` and `status` through the real CLI, and the lifecycle example end to end: every
gate GO in order against a fresh ledger, `after:` too early, monitoring OK then ROLLBACK,
the post-rollback gate, and where the release stands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from p0gate.cli import run
from tests.conftest import EXAMPLES, POLICIES

LC = EXAMPLES / "lifecycle"
BASE = ["--policies", str(POLICIES)]


def monitor(bundle: str, now: str, *extra: str) -> int:
    return run(["monitor", "--evidence", str(LC / bundle), *BASE, "--baseline",
                str(LC / "02-beta"), "--now", now, *extra])


def test_monitor_says_ok_with_the_alert_levels(capsys: pytest.CaptureFixture[str]) -> None:
    assert monitor("05m-production-50-monitor", "2025-10-27T18:25:00Z") == 0
    out = capsys.readouterr().out
    assert "OK at the production-75 gate's triggers (11 controls watched)" in out
    assert "CR-2-MAX: pass, no alert" in out and "escalate" not in out


def test_a_fired_trigger_is_rollback_with_the_escalation_path(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = monitor("08-production-100-incident", "2025-11-14T08:05:00Z",
                   "--report", f"json={tmp_path}/m.json", "--report", f"junit={tmp_path}/m.xml",
                   "--report", f"markdown={tmp_path}/m.md")
    out = capsys.readouterr().out
    assert code == 5 and "CR-2-MAX: fail, emergency ROLLBACK TRIGGER" in out
    assert "remediation: Stop deployment, preserve current crisis systems" in out
    assert out.index("escalate 1: Crisis Response Team (Immediate)") < out.index(
        "escalate 2: Crisis Authority (Within 5 minutes)")
    result = json.loads((tmp_path / "m.json").read_text())
    assert (result["mode"], result["decision"], result["gate"]) == ("monitor", "ROLLBACK",
                                                                    "complete")
    assert "Escalate to Executive Team (Within 15 minutes)" in (tmp_path / "m.md").read_text()
    assert (tmp_path / "m.xml").read_text().count("<testcase") == 109


@pytest.mark.parametrize(("extra", "words"), [
    (("--max-age", "1m"), "trigger CR-2-MAX reads crisis-latency, collected "),
    (("--now", "2025-10-28T18:25:00Z"), "more than 0:15:00 before"),
    # evidence dated after the monitoring time never goes stale: it was an OK (exit 0)
    (("--now", "2025-10-27T18:00:00Z"), "after the monitoring time 2025-10-27T18:00:00Z"),
    (("--now", "2025-10-20T18:00:00Z"), "trigger CR-2-MAX reads crisis-latency, collected "),
])
def test_stale_monitoring_evidence_is_exit_3(extra: tuple[str, ...], words: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--now", "2025-10-27T18:25:00Z", *extra] if extra[0] != "--now" else list(extra)
    code = run(["monitor", "--evidence", str(LC / "05m-production-50-monitor"), *BASE,
                "--baseline", str(LC / "02-beta"), *args])
    assert code == 3 and words in capsys.readouterr().err


def test_a_trigger_that_cannot_be_evaluated_is_exit_3_never_ok(
        capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["monitor", "--evidence", str(LC / "05m-production-50-monitor"), *BASE,
                "--now", "2025-10-27T18:25:00Z"])
    err = capsys.readouterr().err
    assert code == 3 and "trigger CR-1-MEAN-REGRESSION was not evaluated" in err


def test_monitor_usage(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["monitor", "--evidence", str(LC / "05m-production-50-monitor"), *BASE]
    assert run([*base, "--waivers", "w.yaml"]) == 2
    assert "never waived" in capsys.readouterr().err
    assert run([*base, "--max-age", "soon"]) == 2
    assert run([*base, "--gate", "nope"]) == 3
    assert "no gate 'nope'" in capsys.readouterr().err


@pytest.mark.parametrize(("bundle", "gate", "words"), [
    ("02-beta", "beta", "the beta gate judges pre-release evidence"),
    ("04-production-25", "production-75", "judges the 50% step"),
    ("04-production-25", "prod", "no gate 'prod'"),
])
def test_evidence_of_the_wrong_phase_or_gate_is_exit_3(bundle: str, gate: str, words: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["evaluate", "--evidence", str(LC / bundle), *BASE, "--gate", gate, "-q"])
    err = capsys.readouterr().err
    assert code == 3 and words in err and "hint:" in err


STEPS = (  # bundle, command, gate, baseline, now, exit code (make demo's lifecycle)
    ("01-pre-release", "evaluate", "beta", None, "2025-09-20T00:00:00Z", 0),
    ("02-beta", "evaluate", "staging", "01-pre-release", "2025-09-28T00:00:00Z", 0),
    ("03-staging", "evaluate", "production-25", "02-beta", "2025-10-13T00:00:00Z", 0),
    ("04-production-25", "evaluate", "production-50", "02-beta", "2025-10-21T00:00:00Z", 0),
    ("05-production-50", "evaluate", "production-75", "02-beta", "2025-10-27T18:00:00Z", 1),
    ("05m-production-50-monitor", "monitor", None, "02-beta", "2025-10-27T18:25:00Z", 0),
    ("05-production-50", "evaluate", "production-75", "02-beta", "2025-10-28T00:00:00Z", 0),
    ("06-production-75", "evaluate", "production-100", "02-beta", "2025-11-04T00:00:00Z", 0),
    ("07-production-100", "evaluate", "complete", "02-beta", "2025-11-11T00:00:00Z", 0),
    ("08-production-100-incident", "monitor", None, "02-beta", "2025-11-14T08:05:00Z", 5),
    ("09-post-rollback", "evaluate", "post-rollback", None, "2025-11-15T12:00:00Z", 0),
)


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[dict[str, object]]]:
    """The lifecycle example run through the CLI against a fresh ledger."""
    folder = tmp_path_factory.mktemp("lifecycle")
    ledger = f"sqlite:///{folder / 'ledger.db'}"
    results = []
    for i, (bundle, command, gate, base, now, code) in enumerate(STEPS):
        args = [command, "--evidence", str(LC / bundle), *BASE, "--now", now, "--ledger", ledger,
                "--report", f"json={folder}/{i}.json"]
        args += ["--gate", gate] if gate else []
        args += ["--baseline", str(LC / base)] if base else []
        assert run(args) == code, bundle
        results.append(json.loads((folder / f"{i}.json").read_text()))
    return ledger, results


def test_too_early_is_no_go_for_after_only(walked: tuple[str, list[dict[str, object]]]) -> None:
    early = walked[1][4]
    assert early["decision"] == "NO-GO" and early["counts"]["pass"] == 86
    assert early["after"] == {
        "gate": "production-50", "min_days": 7.0, "met": False, "source": "ledger row 4",
        "message": "production-50 GO at 2025-10-21T00:00:00Z (ledger row 4) is 6.75 days old, "
                   "7 required"}


def test_the_complete_gate_is_go_with_the_90_day_figures_missing(
        walked: tuple[str, list[dict[str, object]]]) -> None:
    complete = walked[1][8]
    assert complete["decision"] == "GO" and [w.split(":")[0] for w in complete["warnings"]] == [
        "PF-9-AVAILABILITY-90D", "US-1-FEEDBACK-90D"]


def test_status_tells_where_the_release_stands(walked: tuple[str, list[dict[str, object]]],
                                               tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    ledger, results = walked
    capsys.readouterr()
    assert run(["status", "--ledger", ledger, *BASE, "--json"]) == 0
    first = capsys.readouterr().out
    assert run(["status", "--ledger", ledger, *BASE, "--json", "--html", f"{tmp_path}/s.html"]) == 0
    assert capsys.readouterr().out == first  # the same ledger, the same bytes
    (release,) = json.loads(first)["releases"]
    go = {r["gate"]: (r["evaluated_at"], r["digest"]) for r in results
          if r["decision"] == "GO"}
    assert release["state"] == "closed" and release["next"] == []
    assert {g["gate"]: (g["evaluated_at"], g["result_digest"]) for g in release["gates"]} == go
    assert release["monitor"]["decision"] == "ROLLBACK"
    assert release["monitor"]["alerts"] == {"CR-2-MAX": "emergency"}
    assert "09-post-rollback" not in (tmp_path / "s.html").read_text()
    assert (tmp_path / "s.html").read_text().count('class="gate"') == 9
    assert run(["status", "--ledger", ledger, *BASE]) == 0
    assert "p0-cloud-sync 1.6.0: closed" in capsys.readouterr().out


def test_status_of_no_ledger_creates_none_and_of_a_broken_one_is_exit_3(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    missing = tmp_path / "none.db"
    assert run(["status", "--ledger", f"sqlite:///{missing}", *BASE, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"releases": []} and not missing.exists()
    ledger = f"sqlite:///{tmp_path / 'l.db'}"
    assert run(["evaluate", "--evidence", str(LC / "01-pre-release"), *BASE, "--gate", "beta",
                "--now", "2025-09-20T00:00:00Z", "--ledger", ledger, "-q"]) == 0
    with sqlite3.connect(tmp_path / "l.db") as db:
        db.execute("UPDATE p0gate_decisions SET decision = 'NO-GO'")
    capsys.readouterr()
    assert run(["status", "--ledger", ledger, *BASE]) == 3
    assert "hash chain is broken" in capsys.readouterr().err


def test_status_counts_only_a_ledger_its_ledger_signer_signed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """With a `ledger` signer in the trust store (--trust), status reads the ledger only when
    every row is signed by it (design §7), as `ledger verify` does."""
    from tests.bundlekit import write_keypair, write_trust

    trust = tmp_path / "trust"
    key = write_keypair(trust, "ledger")
    write_trust(trust, [("CI ledger", ["ledger"], "ledger.pub.pem")])
    ledger = f"sqlite:///{tmp_path / 'l.db'}"
    args = ["evaluate", "--evidence", str(LC / "01-pre-release"), *BASE, "--gate", "beta",
            "--now", "2025-09-20T00:00:00Z", "--ledger", ledger, "-q"]
    monkeypatch.setenv("P0GATE_LEDGER_KEY", str(key))
    assert run(args) == 0
    status = ["status", "--ledger", ledger, *BASE, "--trust", str(trust), "--json"]
    capsys.readouterr()
    assert run(status) == 0
    (release,) = json.loads(capsys.readouterr().out)["releases"]
    assert [g["gate"] for g in release["gates"]] == ["beta"]
    monkeypatch.delenv("P0GATE_LEDGER_KEY")
    assert run(args) == 0  # an unsigned row
    capsys.readouterr()
    assert run(status) == 3
    assert "not all signed by a ledger key" in capsys.readouterr().err
    assert run(["status", "--ledger", ledger, *BASE, "--json"]) == 0  # the pack names none
