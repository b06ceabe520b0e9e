"""Write the payments-api example's evidence: a passing release, a failing one, and the same
two as the pack's fixture bundles. Real tools make the test and scan results:

- unit-tests: pytest's JUnit XML of source/test_payments.py against source/clean (all pass)
  or source/vulnerable (the refund is not idempotent: two tests fail);
- sast: bandit's SARIF of the same code (clean: nothing above low; vulnerable: md5, pickle,
  shell=True);
- charge-latency: 20,000 samples drawn from a seeded log-normal distribution (a load test's
  shape, and the canary's charges); canary-metrics: the canary's availability and
  server-error share.

The pre-release bundles (phase ``pre-release``) are what the ``canary`` gate judges; the
canary bundles (phase ``canary``, 5% of the traffic) what the ``ga`` gate judges.

Run times, timestamps and host names in the tools' output are fixed, so the same code writes
the same bytes:

    .venv/bin/python examples/payments-api/make_evidence.py
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from p0gate.evidence.manage import seal

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
COLLECTED = "2025-03-03T09:00:00Z"
CANARY_COLLECTED = "2025-03-05T09:00:00Z"
PRE_RELEASE = """\
apiVersion: p0gate/v1
kind: EvidenceBundle
metadata: {{system: payments-api, version: "{version}", commit: "{commit}", phase: pre-release,
           collected_at: 2025-03-03T10:00:00Z}}
artifacts:
  - {{id: charge-latency, kind: latency-samples, path: load/charge-latency.csv,
     collected_at: "{at}", source: "k6 run of the charge scenario, 20,000 requests"}}
  - {{id: unit-tests, kind: junit, path: tests/junit.xml, collected_at: "{at}",
     source: "pytest --junitxml of the service's unit tests"}}
  - {{id: sast, kind: sarif, path: scan/bandit.sarif, collected_at: "{at}",
     source: "bandit -f sarif over the service's code"}}
"""
CANARY = """\
apiVersion: p0gate/v1
kind: EvidenceBundle
metadata: {{system: payments-api, version: "{version}", commit: "{commit}", phase: canary,
           rollout_percent: 5, collected_at: 2025-03-05T10:00:00Z}}
artifacts:
  - {{id: charge-latency, kind: latency-samples, path: canary/charge-latency.csv,
     collected_at: "{at}", source: "the canary's charges over 48 h, from the tracing backend"}}
  - {{id: canary-metrics, kind: metrics, path: canary/metrics.json, collected_at: "{at}",
     source: "Prometheus queries over the 48 h canary"}}
"""


def run_tools(variant: str) -> tuple[bytes, bytes]:
    """(JUnit XML, SARIF) of pytest and bandit on the ``variant`` of the service."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(HERE / "source" / variant / "payments.py", work / "payments.py")
        shutil.copy(HERE / "source" / "test_payments.py", work / "test_payments.py")
        subprocess.run([str(BIN / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        "--junitxml=junit.xml", "test_payments.py"], cwd=work,
                       capture_output=True, check=False, timeout=120)
        subprocess.run([str(BIN / "bandit"), "-q", "-f", "sarif", "-o", "bandit.sarif",
                        "payments.py"], cwd=work, capture_output=True, check=False, timeout=120)
        junit = (work / "junit.xml").read_text()
        sarif = (work / "bandit.sarif").read_text()
    return _fixed_junit(junit).encode(), _fixed_sarif(sarif).encode()


def _fixed_junit(text: str) -> str:
    text = re.sub(r'time="[0-9.]+"', 'time="0.001"', text)
    text = re.sub(r'timestamp="[^"]+"', f'timestamp="{COLLECTED[:-1]}"', text)
    return re.sub(r'hostname="[^"]+"', 'hostname="ci-runner"', text)


def _fixed_sarif(text: str) -> str:
    data = json.loads(text)
    for run in data["runs"]:
        for invocation in run.get("invocations", []):
            for key in ("startTimeUtc", "endTimeUtc"):
                if key in invocation:
                    invocation[key] = COLLECTED
    return json.dumps(data, indent=2) + "\n"


def latency(slow: bool, seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    values = rng.lognormal(np.log(165 if slow else 110), 0.42, 20_000)
    if slow:  # card network timeouts: 0.4% of the charges take over a second
        values[rng.choice(values.size, 80, replace=False)] = rng.uniform(1000, 2500, 80)
    return ("latency_ms\n" + "\n".join(f"{v:.3f}" for v in values) + "\n").encode()


def metrics(slow: bool) -> bytes:
    data = {"availability": {"percent": 99.91 if slow else 99.982},
            "errors": {"server_error_percent": 0.21 if slow else 0.018}}
    return (json.dumps(data, indent=2) + "\n").encode()


def pre_release(bad: bool, version: str, commit: str) -> dict[str, bytes]:
    """The pre-release evidence the canary gate judges: load test, tests and scan."""
    junit, sarif = run_tools("vulnerable" if bad else "clean")
    return {"load/charge-latency.csv": latency(bad, 7 if bad else 5), "tests/junit.xml": junit,
            "scan/bandit.sarif": sarif, "manifest.yaml": PRE_RELEASE.format(
                version=version, commit=commit, at=COLLECTED).encode()}


def canary(bad: bool, version: str, commit: str) -> dict[str, bytes]:
    """The canary's evidence the ga gate judges: its charges' latency and its metrics."""
    return {"canary/charge-latency.csv": latency(bad, 17 if bad else 15),
            "canary/metrics.json": metrics(bad), "manifest.yaml": CANARY.format(
                version=version, commit=commit, at=CANARY_COLLECTED).encode()}


def write_bundle(folder: Path, files: dict[str, bytes]) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    seal(folder)


def main() -> None:
    fixtures = HERE / "pack" / "tests" / "bundles"
    for folder, make, bad, version, commit in (
        (HERE / "evidence" / "release-2.3.0", pre_release, False, "2.3.0", "8c41e02"),
        (HERE / "evidence" / "release-2.3.0-canary", canary, False, "2.3.0", "8c41e02"),
        (HERE / "evidence" / "release-2.3.1", pre_release, True, "2.3.1", "d17b9a4"),
        (fixtures / "pass", pre_release, False, "9.0.0", "0000001"),
        (fixtures / "fail", pre_release, True, "9.0.1", "0000002"),
        (fixtures / "canary-pass", canary, False, "9.0.0", "0000001"),
        (fixtures / "canary-fail", canary, True, "9.0.1", "0000002"),
    ):
        write_bundle(folder, make(bad, version, commit))
        print(f"wrote {folder.relative_to(HERE)}")


if __name__ == "__main__":
    main()
