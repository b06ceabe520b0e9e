"""Waivers: applied, refused (not waivable, expired, too long, error), unused, flagged."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from p0gate.cli import run
from p0gate.evaluate import evaluate
from p0gate.policy import load_pack
from p0gate.result import Result
from p0gate.waivers import load_waivers
from tests.bundlekit import NOW, File, make_bundle

PACK = """apiVersion: p0gate/v1
kind: PolicySet
metadata: {name: docs, authority: compliance}
controls:
  - {id: D-1-OPEN, title: open, severity: high, blocking: true, phases: [staging],
     check: {type: document, artifact: missing-doc}}
  - {id: D-2-LOCKED, title: locked, severity: high, blocking: true, waivable: false,
     phases: [staging], check: {type: document, artifact: missing-doc}}
  - {id: D-3-PRESENT, title: present, severity: high, blocking: true, phases: [staging],
     check: {type: document, artifact: doc}}
  - {id: D-4-LOW, title: low, severity: low, blocking: true, phases: [staging],
     check: {type: document, artifact: missing-doc}}
  - {id: D-5-TAMPERED, title: tampered, severity: high, blocking: true, phases: [staging],
     check: {type: document, artifact: tampered}}
"""
SETTINGS = """apiVersion: p0gate/v1
kind: Pack
metadata: {name: test-pack}
waivers:
  max_days: {critical: 7, high: 14, low: 90}
"""


def waiver(control: str, expires: str, phases: str = "") -> str:
    return (
        f"  - control: {control}\n    reason: alternative documented\n"
        f"    approved_by: Jane Roe\n    role: compliance-authority\n"
        f"    expires: {expires}\n{phases}"
    )


@pytest.fixture
def setup(tmp_path: Path) -> Path:
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "docs.yaml").write_text(PACK)
    (tmp_path / "pack" / "pack.yaml").write_text(SETTINGS)
    make_bundle(
        tmp_path / "bundle",
        [File("doc", "document", "doc.txt", b"ok"), File("tampered", "document", "t.txt", b"ok")],
    )
    (tmp_path / "bundle" / "t.txt").write_bytes(b"edited")
    return tmp_path


def evaluated(root: Path, body: str) -> Result:
    (root / "w.yaml").write_text("apiVersion: p0gate/v1\nkind: WaiverSet\nwaivers:\n" + body)
    from p0gate.evidence.bundle import open_bundle

    pack = load_pack(root / "pack")
    with open_bundle(root / "bundle") as bundle:
        return evaluate(
            pack,
            bundle,
            phase="staging",
            now=NOW,
            waivers=load_waivers(root / "w.yaml", pack),
        )


def test_applied_waiver_turns_inconclusive_into_waived(setup: Path) -> None:
    result = evaluated(setup, waiver("D-1-OPEN", "2025-10-10"))
    control = next(c for c in result.controls if c.id == "D-1-OPEN")
    assert control.outcome.value == "waived" and control.waiver is not None
    assert control.waiver.status == "applied" and not control.waiver.expiring_soon
    assert [w.control for w in result.waivers.applied] == ["D-1-OPEN"]
    assert result.counts["waived"] == 1


def test_refusals(setup: Path) -> None:
    body = (
        waiver("D-2-LOCKED", "2025-10-05")
        + waiver("D-1-OPEN", "2025-09-30")
        + waiver("D-4-LOW", "2025-10-03")
        + waiver("D-1-OPEN", "2025-12-31")
        + waiver("D-5-TAMPERED", "2025-10-05")
    )
    result = evaluated(setup, body)
    notes = {(w.control, w.expires): w.note for w in result.waivers.refused}
    assert "not waivable" in notes[("D-2-LOCKED", "2025-10-05")]
    assert "expired on 2025-09-30" in notes[("D-1-OPEN", "2025-09-30")]
    assert "at most 14 days" in notes[("D-1-OPEN", "2025-12-31")]
    assert "error outcome" in notes[("D-5-TAMPERED", "2025-10-05")]
    assert [w.control for w in result.waivers.applied] == ["D-4-LOW"]
    assert result.waivers.applied[0].expiring_soon  # 2 days left
    assert any("D-4-LOW expires on 2025-10-03" in w for w in result.warnings)
    outcomes = {c.id: c.outcome.value for c in result.controls}
    assert outcomes == {
        "D-1-OPEN": "inconclusive",
        "D-2-LOCKED": "inconclusive",
        "D-3-PRESENT": "pass",
        "D-4-LOW": "waived",
        "D-5-TAMPERED": "error",
    }
    assert result.decision == "NO-GO"


def test_unused_waivers(setup: Path) -> None:
    body = waiver("D-3-PRESENT", "2025-10-05") + waiver(
        "D-1-OPEN", "2025-10-05", "    phases: [beta]\n"
    )
    result = evaluated(setup, body)
    notes = [w.note for w in result.waivers.unused]
    assert notes == ["the control's outcome is pass", "covers beta, not the staging gate"]
    assert not result.waivers.applied and not result.waivers.refused


def _cli(root: Path, body: str) -> int:
    (root / "w.yaml").write_text("apiVersion: p0gate/v1\nkind: WaiverSet\nwaivers:\n" + body)
    return run(
        [
            "evaluate",
            "--evidence",
            str(root / "bundle"),
            "--policies",
            str(root / "pack"),
            "--phase",
            "staging",
            "--now",
            "2025-10-01T12:00:00Z",
            "-q",
            "--waivers",
            str(root / "w.yaml"),
        ]
    )


def test_cli_waivers_turn_the_gate(setup: Path) -> None:
    blocks = PACK.split("  - {")
    kept = [b for b in blocks[1:] if b.startswith(("id: D-1", "id: D-3"))]
    (setup / "pack" / "docs.yaml").write_text(blocks[0] + "".join("  - {" + b for b in kept))
    assert _cli(setup, waiver("D-3-PRESENT", "2025-10-05")) == 1
    assert _cli(setup, waiver("D-1-OPEN", "2025-10-05")) == 0


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (waiver("NOPE-1", "2025-10-05"), "unknown control 'NOPE-1'"),
        ("  - {control: D-1-OPEN, reason: r, approved_by: a, role: r}\n", "expires"),
        (waiver("D-1-OPEN", "someday"), "expires"),
        (
            "  - {control: D-1-OPEN, reason: '', approved_by: a, role: r, expires: 2025-10-05}\n",
            "reason",
        ),
    ],
)
def test_bad_waiver_files_are_exit_3(
    setup: Path, body: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(setup, body) == 3
    err = capsys.readouterr().err
    assert "w.yaml:" in err and words in err


def _cli_at(root: Path, now: str, body: str) -> int:
    (root / "w.yaml").write_text("apiVersion: p0gate/v1\nkind: WaiverSet\nwaivers:\n" + body)
    return run(["evaluate", "--evidence", str(root / "bundle"), "--policies", str(root / "pack"),
                "--phase", "staging", "--now", now, "-q", "--waivers", str(root / "w.yaml")])


@pytest.mark.parametrize(("instant", "applied"), [
    ("2025-10-05T23:59:59Z", True),  # the last second of the expiry day in UTC
    ("2025-10-06T00:00:00Z", False),  # the day after, in UTC
    ("2025-10-06T04:30:00Z", False),
])
def test_expiry_is_an_instant_compared_in_utc(
    setup: Path, instant: str, applied: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    """A date alone means the end of that day in UTC; the same --now written in another
    offset is the same instant and gives the same decision."""
    blocks = PACK.split("  - {")
    kept = [b for b in blocks[1:] if b.startswith("id: D-1")]
    (setup / "pack" / "docs.yaml").write_text(blocks[0] + "".join("  - {" + b for b in kept))
    when = datetime.fromisoformat(instant.replace("Z", "+00:00"))
    spellings = [when.astimezone(timezone(timedelta(hours=h))).isoformat()
                 for h in (-11, -5, 0, 5.5, 14)]
    codes = {now: _cli_at(setup, now, waiver("D-1-OPEN", "2025-10-05")) for now in spellings}
    assert set(codes.values()) == {0 if applied else 1}, codes


@pytest.mark.parametrize(("expires", "now", "applied"), [
    ("2025-10-05T12:00:00+02:00", "2025-10-05T10:00:00Z", False),  # 10:00Z is past 12:00+02
    ("2025-10-05T12:00:00+02:00", "2025-10-05T10:59:00+01:00", True),  # 09:59Z
    ("2025-10-05T00:00:00Z", "2025-10-05T00:00:01Z", False),  # midnight, not a day
])
def test_an_expiry_with_a_time_is_that_instant(
    setup: Path, expires: str, now: str, applied: bool
) -> None:
    blocks = PACK.split("  - {")
    kept = [b for b in blocks[1:] if b.startswith("id: D-1")]
    (setup / "pack" / "docs.yaml").write_text(blocks[0] + "".join("  - {" + b for b in kept))
    assert _cli_at(setup, now, waiver("D-1-OPEN", f'"{expires}"')) == (0 if applied else 1)


def test_an_expiry_time_without_a_zone_is_refused(
    setup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli_at(setup, "2025-10-01T12:00:00Z",
                   waiver("D-1-OPEN", '"2025-10-05T12:00:00"')) == 3
    assert "expires" in capsys.readouterr().err


def test_the_same_instant_in_two_offsets_gives_the_same_result(setup: Path) -> None:
    """--now is an instant: written in UTC or with an offset, byte-identical result JSON."""
    (setup / "w.yaml").write_text("apiVersion: p0gate/v1\nkind: WaiverSet\nwaivers:\n"
                                  + waiver("D-1-OPEN", "2025-10-05"))
    outputs = []
    for now in ("2025-10-05T22:30:00Z", "2025-10-05T17:30:00-05:00", "2025-10-06T04:00:00+05:30"):
        out = setup / f"r{len(outputs)}.json"
        run(["evaluate", "--evidence", str(setup / "bundle"), "--policies", str(setup / "pack"),
             "--phase", "staging", "--now", now, "-q", "--waivers", str(setup / "w.yaml"),
             "--report", f"json={out}"])
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    assert b'"evaluated_at":"2025-10-05T22:30:00Z"' in outputs[0]
