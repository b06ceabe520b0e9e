"""Security evidence: security JUnit suites, real bandit SARIF, the penetration test report.

The SARIF files are the committed output of a real bandit run (tests/data/sarif/make_sarif.sh):
the clean sample for a passing bundle, the deliberately vulnerable one for a failing bundle.
"""

from __future__ import annotations

from pathlib import Path

from evidence_gen import Art, Spec, since, stamp
from evidence_gen.core import junit

TOPICS = ("security-tests", "sarif", "pentest", "weekly-reviews")
SARIF = Path(__file__).resolve().parents[2] / "tests" / "data" / "sarif"

SECURITY_CASES = {
    "test_encryption": [
        "test_zero_knowledge_server_never_sees_plaintext",
        "test_client_side_encrypt_before_upload",
        "test_ciphertext_only_in_sync_payload",
    ],
    "test_key_management": [
        "test_keys_generated_on_device",
        "test_key_rotation_reencrypts",
        "test_recovery_key_escrow_client_side",
    ],
    "test_cross_device": [
        "test_new_device_pairing_requires_existing_device",
        "test_revoked_device_loses_access",
        "test_device_keys_distinct",
    ],
    "test_audit_log": [
        "test_audit_log_records_access",
        "test_audit_log_tamper_evident",
        "test_audit_log_has_no_phi",
    ],
}


def artifacts(spec: Spec) -> list[Art]:
    if spec.monitor or spec.gate == "post-rollback":
        return []
    arts = [_tests(spec), _sarif(spec), _pentest(spec)]
    if spec.judged_at(*since("production-50")):  # "Weekly: Security and compliance review"
        arts.append(weekly_review(spec, "security"))
    return arts


def weekly_review(spec: Spec, domain: str) -> Art:
    old = spec.bad("weekly-reviews")
    return Art(
        f"{domain}-weekly-review",
        "document",
        f"{domain}/weekly-review.txt",
        f"Weekly {domain} review of the production rollout: no open findings.\n".encode(),
        spec.at(24 * (10 if old else 2)),
        f"{domain} authority's weekly review record",
    )


def _tests(spec: Spec) -> Art:
    failing = (
        {names[0] for names in SECURITY_CASES.values()} if spec.bad("security-tests") else set()
    )
    return Art(
        "security-tests",
        "junit",
        "security/junit.xml",
        junit("pytest", SECURITY_CASES, failing, stamp(spec.at(5))[:-1]),
        spec.at(5),
        "pytest --junitxml of the end-to-end encryption and audit suites",
    )


def _sarif(spec: Spec) -> Art:
    name = "bandit-vulnerable.sarif" if spec.bad("sarif") else "bandit-clean.sarif"
    return Art(
        "sast",
        "sarif",
        "security/bandit.sarif",
        (SARIF / name).read_bytes(),
        spec.at(4),
        "bandit -r -f sarif over the sync service (real run)",
    )


def _pentest(spec: Spec) -> Art:
    old = spec.bad("pentest")
    body = (
        b"Quarterly penetration test, P0-CLOUD sync service and mobile clients.\n"
        b"Scope: API, sync protocol, key exchange. Findings: 0 critical, 0 high, "
        b"2 low (fixed).\n"
    )
    return Art(
        "pentest-report",
        "document",
        "security/pentest-report.txt",
        body,
        spec.at(120 * 24 if old else 20 * 24),
        "external penetration testing firm's report",
    )
