"""`status`: per release, the gates decided, the next gate and when, the last monitor."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from p0gate.ledger import Entry
from p0gate.lifecycle import simple
from p0gate.policy import load_pack
from p0gate.status import releases, to_html, to_json
from tests.conftest import POLICIES, ROOT
from tests.formats.test_html import AXE, CHROMIUM, tags

LIFECYCLE = load_pack(POLICIES).lifecycle


def entry(seq: int, gate: str, decision: str, when: str, *, version: str = "1.6.0",
          alerts: str = "") -> Entry:
    return Entry(seq=seq, recorded_at="2026-01-01T00:00:00Z", evaluated_at=when,
                 system="p0-cloud-sync", version=version, gate=gate, decision=decision,
                 alerts=alerts, result_digest=f"{seq:064d}", pack_digest="p" * 64,
                 bundle_digest="b" * 64, prev_hash="0" * 64, row_hash="h" * 64)


ROWS = [
    entry(1, "beta", "GO", "2025-09-20T00:00:00Z"),
    entry(2, "staging", "NO-GO", "2025-09-27T00:00:00Z"),
    entry(3, "staging", "GO", "2025-09-28T00:00:00Z"),
    entry(4, "staging", "GO", "2025-09-29T00:00:00Z"),
    entry(5, "production-25", "OK", "2025-10-01T00:00:00Z", alerts="CR-1-LATENCY=warning"),
    entry(6, "beta", "GO", "2025-10-02T00:00:00Z", version="1.7.0"),
]


def test_a_release_in_progress_names_its_next_gate_and_when() -> None:
    first, second = releases(ROWS, LIFECYCLE)
    assert (first.version, first.state, second.version) == ("1.6.0", "in progress", "1.7.0")
    assert [(g.gate, g.decision, g.evaluated_at, g.ledger_row) for g in first.gates] == [
        ("beta", "GO", "2025-09-20T00:00:00Z", 1), ("staging", "GO", "2025-09-28T00:00:00Z", 4)]
    assert [(n.gate, n.earliest) for n in first.next] == [
        ("production-25", "2025-10-12T00:00:00Z")]  # 14 days after the staging GO began
    assert first.monitor is not None and first.monitor.alerts == {"CR-1-LATENCY": "warning"}
    assert [(n.gate, n.earliest) for n in second.next] == [("staging", "2025-10-09T00:00:00Z")]
    assert [r.version for r in releases(ROWS, LIFECYCLE, system="other")] == []


def test_a_rollback_sends_the_release_to_post_rollback_whose_go_closes_it() -> None:
    rolled = [*ROWS[:4], entry(7, "production-25", "ROLLBACK", "2025-10-03T00:00:00Z",
                               alerts="CR-2-MAX=emergency")]
    found = releases(rolled, LIFECYCLE)[0]
    assert found.state == "rolled back" and [(n.gate, n.earliest) for n in found.next] == [
        ("post-rollback", "2025-10-03T00:00:00Z")]
    closed = releases([*rolled, entry(8, "post-rollback", "GO", "2025-10-04T00:00:00Z")],
                      LIFECYCLE)[0]
    assert closed.state == "closed" and closed.next == []
    assert closed.monitor is not None and closed.monitor.decision == "ROLLBACK"


def test_every_gate_passed_is_complete() -> None:
    rows = [entry(i, name, "GO", f"2025-{9 + i // 5:02d}-{1 + i % 28:02d}T00:00:00Z")
            for i, name in enumerate(LIFECYCLE.names[:-1], start=1)]
    assert releases(rows, LIFECYCLE)[0].state == "complete"


def test_in_the_simple_form_there_is_no_next_gate() -> None:
    found = releases(ROWS[:2], simple(["beta", "staging"]))[0]
    assert found.state == "in progress" and found.next == []


def test_json_is_canonical_and_leaves_out_the_timeline() -> None:
    raw = to_json(releases(ROWS, LIFECYCLE))
    assert raw == to_json(releases(ROWS, LIFECYCLE)) and raw.endswith(b"}\n")
    data = json.loads(raw)
    assert "timeline" not in data["releases"][0] and data["releases"][0]["state"] == "in progress"


def test_the_page_is_self_contained_with_the_timeline() -> None:
    page = to_html(releases(ROWS, LIFECYCLE), pack="p0-cloud-deployment-guide").decode()
    assert not [t for t, _ in tags(page) if t in ("link", "script", "img", "iframe")]
    assert page.count('<li class="gate">') == 5 and page.count('<li class="monitor">') == 1
    assert "CR-1-LATENCY warning" in page and "production-25, not before 2025-10-12" in page
    evil = [entry(1, "beta", "GO", "2025-09-20T00:00:00Z", version="<script>x</script>")]
    assert "<script>x" not in to_html(releases(evil, LIFECYCLE), pack="p").decode()


@pytest.mark.browser
@pytest.mark.axe
def test_axe_finds_no_serious_or_critical_violation(tmp_path: Path) -> None:
    if not (AXE / "node_modules" / "axe-core").is_dir():  # `make unit` installs it first
        subprocess.run(["npm", "ci", "--silent", "--prefix", str(AXE)], check=True, timeout=300)
    rolled = [*ROWS, entry(7, "production-25", "ROLLBACK", "2025-10-03T00:00:00Z",
                           alerts="CR-2-MAX=emergency"),
              entry(8, "post-rollback", "GO", "2025-10-04T00:00:00Z")]
    page = tmp_path / "status.html"
    page.write_bytes(to_html(releases(rolled, LIFECYCLE), pack="p0-cloud-deployment-guide"))
    run = subprocess.run(["node", str(AXE / "run-axe.js"), str(page), str(CHROMIUM)],
                         capture_output=True, text=True, timeout=120, check=False, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert found["passes"], "axe ran no rule: the page did not load"
    assert [(v["id"], v["impact"]) for v in found["violations"]
            if v["impact"] in ("serious", "critical")] == []
