"""HIPAA evidence: technical-safeguard configuration, HIPAA JUnit suites, compliance documents.

The configuration is the document the ``expr`` controls of 164.312 read; a "bad" bundle breaks
every specification in it. Administrative-safeguard documents (164.308) are empty when bad.
"""

from __future__ import annotations

import json

from evidence_gen import Art, Spec, since, stamp
from evidence_gen.core import junit
from evidence_gen.security import weekly_review

TOPICS = ("hipaa-config", "hipaa-tests", "compliance-docs", "compliance-metrics")

HIPAA_CASES = {
    "test_hipaa_emergency_access": [
        "test_break_glass_grants_time_limited_access",
        "test_break_glass_is_audited",
    ],
    "test_authentication": [
        "test_mfa_required_for_clinician_accounts",
        "test_device_bound_session_tokens",
    ],
    "test_data_protection": [
        "test_export_requires_reauthentication",
        "test_deletion_removes_all_replicas",
    ],
    "test_audit_trail": ["test_every_phi_read_is_logged", "test_audit_trail_export_complete"],
    "test_privacy": ["test_minimum_necessary_fields_only", "test_consent_withdrawal_honoured"],
}

DOCUMENTS = (
    (
        "risk-analysis",
        "compliance/risk-analysis.txt",
        60,
        b"HIPAA security risk analysis 164.308(a)(1)(ii)(A): 42 risks, all treated.\n",
    ),
    (
        "incident-response-plan",
        "compliance/incident-response.txt",
        90,
        b"Security incident procedures 164.308(a)(6)(ii): detection, response, reporting.\n",
    ),
    (
        "contingency-plan",
        "compliance/contingency-plan.txt",
        90,
        b"Contingency plan 164.308(a)(7): backups every 6 h, restore drill passed.\n",
    ),
    (
        "security-evaluation",
        "compliance/security-evaluation.txt",
        30,
        b"Periodic evaluation 164.308(a)(8): technical and non-technical review done.\n",
    ),
    (
        "regulatory-docs",
        "compliance/regulatory-documentation.txt",
        10,
        b"Regulatory documentation index: policies, BAAs, NPP, training records (100%).\n",
    ),
)
AUDIT_REPORT = ("compliance-audit-report", "compliance/audit-report.txt", 14,
                b"Compliance audit: readiness 100%, all requirements passed, no open findings.\n")
AUDIT_PREP = ("compliance-audit-prep", "compliance/audit-prep.txt", 10,
              b"Compliance audit preparation: evidence index, interviews scheduled, "
              b"164.308/164.312 walkthrough done.\n")


def artifacts(spec: Spec) -> list[Art]:
    if spec.monitor or spec.gate == "post-rollback":
        return []
    arts = [_config(spec), _tests(spec), _metrics(spec), *_documents(spec, DOCUMENTS)]
    if spec.gate == "staging":  # Phase 2: "Compliance audit preparation completed"
        arts.extend(_documents(spec, (AUDIT_PREP,)))
    if spec.judged_at(*since("production-25")):
        arts.extend(_documents(spec, (AUDIT_REPORT,)))
    if spec.judged_at(*since("production-50")):
        arts.append(weekly_review(spec, "compliance"))
    return arts


def _metrics(spec: Spec) -> Art:
    bad = spec.bad("compliance-metrics")
    documented = 100 if spec.judged_at(*since("production-25")) else 96  # 95% before Phase 3
    doc = {"hipaa": {"documentation_complete_percent":
                     90 if bad else int(spec.extra.get("hipaa-docs", documented))},
           "audit": {"readiness_percent": 92 if bad else 100,
                     "failed_requirements": 3 if bad else 0}}
    return Art("compliance-metrics", "metrics", "compliance/metrics.json",
               (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode(), spec.at(4),
               "compliance authority's HIPAA documentation and audit tracker")


def _config(spec: Spec) -> Art:
    bad = spec.bad("hipaa-config")
    doc = {
        "access": {"unique_user_ids": not bad, "shared_accounts": 3 if bad else 0},
        "session": {"idle_logoff_minutes": 60 if bad else 10},
        "encryption": {
            "client_side": not bad,
            "server_has_keys": bad,
            "at_rest": {"algorithm": "none" if bad else "AES-256-GCM"},
        },
        "audit": {"enabled": not bad, "retention_days": 365 if bad else 2190},
        "integrity": {"record_mac": "none" if bad else "HMAC-SHA256"},
        "transport": {
            "tls_min_version": "1.0" if bad else "1.3",
            "certificate_pinning": not bad,
            "plaintext_endpoints": 1 if bad else 0,
        },
    }
    return Art(
        "security-config",
        "config",
        "security/config.json",
        (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode(),
        spec.at(3),
        "exported deployment configuration of the sync service and clients",
    )


def _tests(spec: Spec) -> Art:
    failing = {names[-1] for names in HIPAA_CASES.values()} if spec.bad("hipaa-tests") else set()
    return Art(
        "hipaa-tests",
        "junit",
        "compliance/hipaa-junit.xml",
        junit("pytest", HIPAA_CASES, failing, stamp(spec.at(5))[:-1]),
        spec.at(5),
        "pytest --junitxml of the HIPAA safeguard suites",
    )


def _documents(spec: Spec, documents: tuple[tuple[str, str, int, bytes], ...]) -> list[Art]:
    bad = spec.bad("compliance-docs")
    return [
        Art(
            art_id,
            "document",
            path,
            b"" if bad else body,
            spec.at(24 * (400 if bad else days)),
            "compliance authority's records",
        )
        for art_id, path, days, body in documents
    ]
