"""Helpers of the hostile-input suite: build (possibly malicious) bundles and run the CLI.

Every case ends in ``refused()``: exit 3, or a run whose named controls did not pass; never
exit 0 or 70, never a traceback, and nothing written outside the work folder (escape
attempts carry a unique marker that is searched for afterwards).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from p0gate.cli import run

NOW = "2025-10-01T12:00:00Z"
STAMP = "2025-09-30T12:00:00Z"
MARK = f"p0gate-escape-{os.getpid()}"

PACK = """\
apiVersion: p0gate/v1
kind: PolicySet
metadata: {name: hostile, authority: performance}
controls:
  - id: LAT-STAT
    title: p99 under a second
    severity: critical
    blocking: true
    phases: [beta]
    check: {type: statistic, artifact: lat, stat: p99, le: 1000}
  - id: LAT-EXC
    title: few slow samples
    severity: critical
    blocking: true
    phases: [beta]
    check: {type: exceedance, artifact: lat, threshold: 200, max_rate: 0.5}
  - id: LAT-FRESH
    title: fresh evidence
    severity: high
    blocking: true
    phases: [beta]
    check: {type: freshness, artifact: lat, max_age_days: 30}
"""
CONTROLS = ("LAT-STAT", "LAT-EXC", "LAT-FRESH")
READING = ("LAT-STAT", "LAT-EXC")  # the controls that parse the file (freshness verifies it)
GOOD_CSV = b"latency_ms\n10\n20\n30\n"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    result: dict[str, object] | None

    def outcome(self, control: str) -> str:
        assert self.result is not None
        found = [c for c in self.result["controls"] if c["id"] == control]  # type: ignore[attr-defined]
        return str(found[0]["outcome"])


def pack(root: Path, text: str = PACK) -> Path:
    folder = root / "pack"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hostile.yaml").write_text(text)
    return folder


def entry(
    path: str,
    data: bytes | None,
    *,
    id: str = "lat",
    kind: str = "latency-samples",
    collected_at: str = STAMP,
) -> dict[str, object]:
    """A manifest entry; its sha256 is that of ``data`` when given."""
    item: dict[str, object] = {"id": id, "kind": kind, "path": path, "collected_at": collected_at}
    if data is not None:
        item["sha256"] = hashlib.sha256(data).hexdigest()
    return item


def manifest_text(entries: list[dict[str, object]], *, collected_at: str = STAMP) -> str:
    return json.dumps(
        {
            "apiVersion": "p0gate/v1",
            "kind": "EvidenceBundle",
            "metadata": {
                "system": "p0-cloud-sync",
                "version": "1.0.0",
                "phase": "beta",
                "collected_at": collected_at,
            },
            "artifacts": entries,
        }
    )  # JSON is YAML


def bundle(
    root: Path,
    files: dict[str, bytes],
    entries: list[dict[str, object]] | None = None,
    *,
    manifest: str | bytes | None = None,
) -> Path:
    """Write ``files`` and a manifest (by default one latency entry per file, sealed)."""
    folder = root / "bundle"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    if manifest is None:
        manifest = manifest_text(
            entries if entries is not None else [entry(n, d) for n, d in files.items()]
        )
    raw = manifest.encode() if isinstance(manifest, str) else manifest
    (folder / "manifest.yaml").write_bytes(raw)
    return folder


def evaluate(
    capsys: pytest.CaptureFixture[str],
    work: Path,
    evidence: Path,
    policies: Path | None = None,
    *extra: str,
) -> Run:
    report = work / "out" / "result.json"
    code = run(
        [
            "evaluate",
            "--evidence",
            str(evidence),
            "--policies",
            str(policies or pack(work)),
            "--phase",
            "beta",
            "--now",
            NOW,
            "-q",
            "--report",
            f"json={report}",
            *extra,
        ]
    )
    captured = capsys.readouterr()
    result = json.loads(report.read_bytes()) if report.exists() else None
    return Run(code, captured.out, captured.err, result)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> Run:
    code = run(list(args))
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err, None)


def refused(got: Run, controls: tuple[str, ...] = CONTROLS, *, work: Path | None = None) -> None:
    """Exit 3, or NO-GO with none of ``controls`` passing; no traceback; nothing escaped."""
    text = got.out + got.err
    assert "Traceback" not in text, text
    assert got.code in (1, 3), (got.code, text)
    if got.code == 1:
        outcomes = {c: got.outcome(c) for c in controls}
        assert "pass" not in outcomes.values(), outcomes
    nothing_escaped(work)


def nothing_escaped(work: Path | None = None) -> None:
    """No file carrying the escape marker outside the work folder."""
    places = [Path("/tmp"), Path("/"), Path.cwd().parent]
    if work is not None:
        places += [work.parent, work.parent.parent]
    for place in places:
        leaked = list(place.glob(f"*{MARK}*"))
        assert not leaked, leaked
