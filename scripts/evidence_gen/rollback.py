"""Post-rollback evidence: data integrity and system health checks, the user notice, the root
cause analysis and the remediation plan ("Post-Rollback Procedures" of the guide).

The window starts when the rollback completed: the incident that caused it belongs to the
monitoring bundle before, not here. Made only for bundles judged at the post-rollback gate.
"""

from __future__ import annotations

from evidence_gen import Art, Spec, stamp
from evidence_gen.core import junit

TOPICS = ("rollback-checks", "rollback-documents")

INTEGRITY = {"test_data_integrity": [
    "test_no_journal_entry_lost_during_rollback", "test_sync_cursor_consistent_per_device",
    "test_encrypted_blobs_decrypt_after_rollback"]}
HEALTH = {"test_system_health": [
    "test_sync_service_healthy_on_previous_version", "test_crisis_endpoint_healthy",
    "test_error_rate_back_to_baseline"]}
DOCUMENTS = (
    ("rollback-user-notice", "rollback/user-notice.txt", 20,
     b"In-app and e-mail notice: the sync update was rolled back; crisis features were not "
     b"affected; your data is intact.\n", "support team's user communication"),
    ("rollback-root-cause", "rollback/root-cause.txt", 10,
     b"Root cause: a lock held across the crisis-plan sync path under 100% traffic.\n",
     "engineering's root cause analysis"),
    ("remediation-plan", "rollback/remediation-plan.txt", 8,
     b"Remediation: move the crisis plan read off the sync lock; re-run beta.\n",
     "engineering's re-deployment plan"),
)


def artifacts(spec: Spec) -> list[Art]:
    if spec.gate != "post-rollback":
        return []
    failing = spec.bad("rollback-checks")
    arts = [
        Art("data-integrity-tests", "junit", "rollback/data-integrity.xml",
            junit("pytest", INTEGRITY, {INTEGRITY["test_data_integrity"][0]} if failing else set(),
                  stamp(spec.at(6))[:-1]), spec.at(6),
            "validate-data-integrity-post-rollback.sh (pytest --junitxml)"),
        Art("system-health-checks", "junit", "rollback/system-health.xml",
            junit("pytest", HEALTH, {HEALTH["test_system_health"][0]} if failing else set(),
                  stamp(spec.at(5))[:-1]), spec.at(5),
            "validate-system-health-post-rollback.sh (pytest --junitxml)"),
    ]
    empty = spec.bad("rollback-documents")
    for art_id, path, hours, body, source in DOCUMENTS:
        if art_id in spec.extra.get("omit", "").split(","):
            continue
        arts.append(Art(art_id, "document", path, b"" if empty else body, spec.at(hours),
                        source))
    return arts
