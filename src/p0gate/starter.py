"""`p0gate init-pack DIR`: a small starter pack for a new system, ready to validate and test.

Three controls on three kinds of evidence (latency samples, JUnit, SARIF), two authorities,
two gates (``canary`` on pre-release evidence, ``ga`` on the canary's, a day later) and two
fixture cases with sealed bundles at the canary gate: one where every control passes (GO),
one where every control fails (NO-GO). ``p0gate validate DIR`` and ``p0gate test DIR`` pass on it as
written; the README it writes says what to change first.
"""

from __future__ import annotations

from pathlib import Path

from p0gate.errors import InputError, Location

PACK = """\
# yaml-language-server: $schema=pack.schema.json   (p0gate schema pack > pack.schema.json)
apiVersion: p0gate/v1
kind: Pack
metadata:
  name: {name}
  description: Release gate of {name}; start here and replace the examples.
# Who owns the controls and signs (a role with `security` in it marks SARIF security alerts).
authorities:
  - {{id: owner, title: Service Owner, role: service-owner}}
  - {{id: appsec, title: Security Lead, role: security-lead}}
# The decision points in rollout order: each judges the evidence of one phase (the bundle's
# metadata.phase); ga needs a GO at canary at least a day before (read from the ledger).
gates:
  - {{name: canary, evidence: pre-release}}
  - {{name: ga, evidence: canary, after: {{gate: canary, min_days: 1}}}}
waivers:
  max_days: {{critical: 7, high: 14, medium: 30, low: 90}}
"""

SERVICE = """\
apiVersion: p0gate/v1
kind: PolicySet
metadata:
  name: service
  authority: owner
controls:
  - id: SVC-1-LATENCY
    title: API p95 latency under 300 ms
    severity: high
    blocking: true
    gates: [canary, ga]
    remediation: Profile the slowest endpoints before the release.
    check: {{type: statistic, artifact: api-latency, column: latency_ms, stat: p95, lt: 300}}
  - id: SVC-2-TESTS
    title: Every unit test passed
    severity: high
    blocking: true
    gates: [canary]
    remediation: Fix the failing tests.
    check: {{type: tests, artifact: unit-tests, min_cases: 3}}
"""

SECURITY = """\
apiVersion: p0gate/v1
kind: PolicySet
metadata:
  name: security
  authority: appsec
controls:
  - id: SEC-1-FINDINGS
    title: No error-level finding of the static analysis
    severity: critical
    blocking: true
    gates: [canary]
    remediation: Fix or triage the findings the scanner reports.
    check: {{type: findings, artifact: scan, levels: [error]}}
"""

CASE = """\
apiVersion: p0gate/v1
kind: PolicyTest
name: {name}
bundle: bundles/{bundle}
gate: canary
now: 2025-01-15T12:00:00Z
decision: {decision}
expect:
  SVC-1-LATENCY: {outcome}
  SVC-2-TESTS: {outcome}
  SEC-1-FINDINGS: {outcome}
"""

README = """\
# {name}: a p0gate policy pack

Written by `p0gate init-pack`. Try it:

    p0gate validate {folder}      # the pack is well formed
    p0gate test {folder}          # both fixture cases hold
    p0gate evaluate --evidence {folder}/tests/bundles/passing --policies {folder} --gate canary

Then replace the examples: the controls in `service.yaml` and `security.yaml`, the
authorities and gates in `pack.yaml`, and the fixture bundles under `tests/bundles/` (edit
the files, then `p0gate bundle seal` the folder). docs/authoring.md in p0gate's repository
lists every artifact kind and check type with an example.
"""


def _junit(failed: bool) -> str:
    cases = "".join(f'<testcase classname="tests.test_api" name="test_{n}"'
                    + ('><failure message="assert 500 == 200"/></testcase>'
                       if failed and n == "refund" else "/>")
                    for n in ("charge", "refund", "status"))
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<testsuites><testsuite name="pytest" '
            f'tests="3">{cases}</testsuite></testsuites>\n')


def _sarif(findings: int) -> str:
    results = ",".join('{"ruleId": "B105", "level": "error", "message": {"text": '
                       '"Possible hardcoded password"}}' for _ in range(findings))
    return ('{"version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json", '
            '"runs": [{"tool": {"driver": {"name": "bandit", "rules": [{"id": "B105"}]}}, '
            f'"results": [{results}]}}]}}\n')


def _latency(slow: bool) -> str:
    values = [40 + (i * 37) % 160 for i in range(200)]
    if slow:
        values = [v + 250 for v in values]
    return "latency_ms\n" + "\n".join(str(v) for v in values) + "\n"


MANIFEST = """\
apiVersion: p0gate/v1
kind: EvidenceBundle
metadata: {{system: {name}, version: 0.1.0, phase: pre-release,
           collected_at: 2025-01-15T10:00:00Z}}
artifacts:
  - {{id: api-latency, kind: latency-samples, path: api-latency.csv,
     collected_at: 2025-01-15T09:00:00Z, source: "example load test, 200 requests"}}
  - {{id: unit-tests, kind: junit, path: unit-tests.xml, collected_at: 2025-01-15T09:00:00Z,
     source: example pytest run}}
  - {{id: scan, kind: sarif, path: scan.sarif, collected_at: 2025-01-15T09:00:00Z,
     source: example bandit scan}}
"""


def init_pack(folder: Path, *, name: str | None = None) -> list[Path]:
    """Write the starter pack into ``folder`` (new or empty); returns the files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InputError("the folder exists and is not empty", location=Location(folder),
                         hint="init-pack writes a new pack: name a new or empty folder")
    title = name or folder.resolve().name
    files = {"pack.yaml": PACK.format(name=title), "service.yaml": SERVICE.format(),
             "security.yaml": SECURITY.format(), "README.md": README.format(
                 name=title, folder=folder.as_posix()),
             "tests/passing.yaml": CASE.format(name="every control passes", bundle="passing",
                                               decision="GO", outcome="pass"),
             "tests/failing.yaml": CASE.format(name="every control fails", bundle="failing",
                                               decision="NO-GO", outcome="fail")}
    for bundle, bad in (("passing", False), ("failing", True)):
        files |= {f"tests/bundles/{bundle}/{path}": text for path, text in (
            ("api-latency.csv", _latency(bad)), ("unit-tests.xml", _junit(bad)),
            ("scan.sarif", _sarif(2 if bad else 0)),
            ("manifest.yaml", MANIFEST.format(name=title)))}
    return _write(folder, files)


def _write(folder: Path, files: dict[str, str]) -> list[Path]:
    from p0gate.evidence.manage import seal

    written = []
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    for bundle in ("passing", "failing"):
        seal(folder / "tests" / "bundles" / bundle)
    return written
