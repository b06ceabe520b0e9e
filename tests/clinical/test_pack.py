"""The clinical controls of the default pack, end to end through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from p0gate.cli import run
from tests.conftest import POLICIES

BUNDLES = POLICIES / "tests" / "bundles"
CLINICAL = (
    "CL-1-MBCT-REVIEW",
    "CL-2-PHQ9-ACCURACY",
    "CL-2-GAD7-ACCURACY",
    "CL-3-SAFE-MESSAGING",
    "CL-4-UX-MENTAL-HEALTH",
    "CL-5-WCAG-AUTOMATED",
    "CL-5-WCAG-MANUAL",
)


@pytest.mark.parametrize(("bundle", "outcome"), [("beta-pass", "pass"), ("beta-fail", "fail")])
def test_clinical_controls_on_fixture_bundles(tmp_path: Path, bundle: str, outcome: str) -> None:
    report = tmp_path / "result.json"
    code = run(
        [
            "evaluate",
            "--evidence",
            str(BUNDLES / bundle),
            "--phase",
            "beta",
            "--policies",
            str(POLICIES),
            "--now",
            "2025-09-28T12:00:00Z",
            "--quiet",
            "--report",
            f"json={report}",
        ]
    )
    result = json.loads(report.read_text())
    got = {c["id"]: c for c in result["controls"]}
    assert {cid: got[cid]["outcome"] for cid in CLINICAL} == dict.fromkeys(CLINICAL, outcome)
    if outcome == "fail":  # blocking clinical controls fail: NO-GO, exit 1
        assert (code, result["decision"]) == (1, "NO-GO")
        phq9 = got["CL-2-PHQ9-ACCURACY"]["message"]
        assert "app-phq9-t04-i91 crisis_flag: app false, reference true" in phq9
        assert "'committed suicide'" in got["CL-3-SAFE-MESSAGING"]["message"]
        assert "'press 3'" in got["CL-3-SAFE-MESSAGING"]["message"]
        assert "image-alt (critical" in got["CL-5-WCAG-AUTOMATED"]["message"]
