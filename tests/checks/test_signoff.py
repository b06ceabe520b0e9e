"""The signoff check: trusted, approving, untampered statements about this very evidence."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from p0gate.attest import load_private_key, sign, statement_for, to_yaml
from p0gate.checks.signoff import SignoffCheck
from p0gate.errors import EvidenceError, InputError
from p0gate.evidence.bundle import Bundle, load_manifest
from p0gate.outcome import Outcome
from tests.bundlekit import NOW, File, make_bundle, run_check, write_keypair, write_trust

EVIDENCE = [
    File("scan", "sarif", "scan.sarif", b'{"version": "2.1.0", "runs": []}'),
    File("doc", "document", "doc.txt", b"risk analysis"),
]


@pytest.fixture
def trust(tmp_path: Path) -> Path:
    folder = tmp_path / "trust"
    write_keypair(folder, "clinical")
    write_keypair(folder, "security")
    write_keypair(folder, "stranger")
    write_trust(
        folder,
        [
            ("Dr. A", ["clinical-authority"], "clinical.pub.pem"),
            ("S. Sec", ["security-authority"], "security.pub.pem"),
        ],
    )
    return folder


def signed(
    trust: Path,
    key: str,
    role: str,
    signer: str,
    decision: str = "approve",
    files: list[File] = EVIDENCE,
    **change: object,
) -> bytes:
    """A sign-off over a bundle holding ``files`` (the evidence digest comes from them)."""
    bundle = make_bundle(trust.parent / f"sign-{key}-{role}-{decision}", files)
    statement = statement_for(
        bundle,
        role=role,
        signer=signer,
        decision=decision,  # type: ignore[arg-type]
        signed_at=NOW - timedelta(hours=1),
    )
    if change:
        statement = statement.model_copy(update=change)
    return to_yaml(sign(statement, load_private_key(trust / f"{key}.key.pem")))


def with_signoffs(tmp_path: Path, *docs: bytes) -> Bundle:
    files = EVIDENCE + [
        File(f"so-{i}", "signoff", f"signoffs/{i}.yaml", d) for i, d in enumerate(docs)
    ]
    return make_bundle(tmp_path / "bundle", files)


def check(*roles: str) -> SignoffCheck:
    return SignoffCheck.model_validate({"type": "signoff", "roles": list(roles)})


def test_all_roles_approved(tmp_path: Path, trust: Path) -> None:
    bundle = with_signoffs(
        tmp_path,
        signed(trust, "clinical", "clinical-authority", "Dr. A"),
        signed(trust, "security", "security-authority", "S. Sec"),
    )
    found = run_check(check("clinical-authority", "security-authority"), bundle, trust_dir=trust)
    assert found.outcome is Outcome.PASS, found.message
    assert found.measured["roles_approved"] == 2


def test_missing_role_fails(tmp_path: Path, trust: Path) -> None:
    bundle = with_signoffs(tmp_path, signed(trust, "clinical", "clinical-authority", "Dr. A"))
    found = run_check(check("clinical-authority", "security-authority"), bundle, trust_dir=trust)
    assert found.outcome is Outcome.FAIL
    assert "security-authority: no sign-off statement" in found.message


def test_rejection_fails_even_beside_an_approval(tmp_path: Path, trust: Path) -> None:
    bundle = with_signoffs(
        tmp_path,
        signed(trust, "clinical", "clinical-authority", "Dr. A"),
        signed(trust, "clinical", "clinical-authority", "Dr. A", "reject"),
    )
    found = run_check(check("clinical-authority"), bundle, trust_dir=trust)
    assert found.outcome is Outcome.FAIL and "rejected by Dr. A" in found.message


def test_edited_statement_fails(tmp_path: Path, trust: Path) -> None:
    doc = signed(trust, "clinical", "clinical-authority", "Dr. A", "reject")
    edited = doc.replace(b"decision: reject", b"decision: approve")
    assert edited != doc
    found = run_check(check("clinical-authority"), with_signoffs(tmp_path, edited), trust_dir=trust)
    assert found.outcome is Outcome.FAIL and "edited after signing" in found.message


def test_untrusted_key_and_wrong_role(tmp_path: Path, trust: Path) -> None:
    bundle = with_signoffs(
        tmp_path,
        signed(trust, "stranger", "clinical-authority", "Dr. A"),
        signed(trust, "security", "clinical-authority", "S. Sec"),
    )
    found = run_check(check("clinical-authority"), bundle, trust_dir=trust)
    assert found.outcome is Outcome.FAIL
    assert "not in the trust store" in found.message
    assert "not trusted for the role clinical-authority" in found.message


def test_signer_name_must_match_the_key(tmp_path: Path, trust: Path) -> None:
    bundle = with_signoffs(tmp_path, signed(trust, "clinical", "clinical-authority", "Mallory"))
    found = run_check(check("clinical-authority"), bundle, trust_dir=trust)
    assert found.outcome is Outcome.FAIL and "key belongs to 'Dr. A'" in found.message


def test_statement_about_other_evidence_fails(tmp_path: Path, trust: Path) -> None:
    other = [EVIDENCE[0], File("doc", "document", "doc.txt", b"another risk analysis")]
    bundle = with_signoffs(
        tmp_path, signed(trust, "clinical", "clinical-authority", "Dr. A", files=other)
    )
    found = run_check(check("clinical-authority"), bundle, trust_dir=trust)
    assert found.outcome is Outcome.FAIL and "about other evidence" in found.message


def test_signed_in_the_future_fails(tmp_path: Path, trust: Path) -> None:
    doc = signed(
        trust, "clinical", "clinical-authority", "Dr. A", signed_at=NOW + timedelta(days=1)
    )
    found = run_check(check("clinical-authority"), with_signoffs(tmp_path, doc), trust_dir=trust)
    assert found.outcome is Outcome.FAIL and "after the evaluation time" in found.message


def test_no_signoffs_is_inconclusive(tmp_path: Path, trust: Path) -> None:
    found = run_check(check("clinical-authority"), with_signoffs(tmp_path), trust_dir=trust)
    assert found.outcome is Outcome.INCONCLUSIVE


def test_malformed_signature_is_an_evidence_error(tmp_path: Path, trust: Path) -> None:
    doc = signed(trust, "clinical", "clinical-authority", "Dr. A")
    lines = [
        line if not line.strip().startswith("value:") else "  value: not-base64!"
        for line in doc.decode().splitlines()
    ]
    bundle = with_signoffs(tmp_path, "\n".join(lines).encode())
    with pytest.raises(EvidenceError, match="signature value is not base64"):
        run_check(check("clinical-authority"), bundle, trust_dir=trust)


def test_trust_store_with_a_missing_key_is_invalid_input(tmp_path: Path, trust: Path) -> None:
    bundle = with_signoffs(tmp_path, signed(trust, "clinical", "clinical-authority", "Dr. A"))
    write_trust(trust, [("Dr. A", ["clinical-authority"], "gone.pub.pem")])
    with pytest.raises(InputError, match=r"gone\.pub\.pem not found") as info:
        run_check(check("clinical-authority"), bundle, trust_dir=trust)
    assert info.value.location is not None and info.value.location.line == 6


def _edited(bundle: Bundle, where: str, field: str, value: object) -> Bundle:
    """The bundle with one manifest field changed after the sign-offs were made."""
    manifest = yaml.safe_load((bundle.root / "manifest.yaml").read_text())
    target = manifest["metadata"] if where == "metadata" else next(
        a for a in manifest["artifacts"] if a["id"] == where)
    target[field] = value
    (bundle.root / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    model, digest = load_manifest(bundle.root)
    return Bundle(bundle.root, model, digest)


@pytest.mark.parametrize(("where", "field", "value"), [
    ("doc", "collected_at", "2025-09-01T00:00:00Z"),
    ("doc", "source", "another run"),
    ("doc", "size", 13),
    ("scan", "kind", "document"),
    ("metadata", "collected_at", "2025-09-29T00:00:00Z"),
    ("metadata", "commit", "0000000"),
    ("metadata", "phase", "production"),
])
def test_a_signoff_covers_the_metadata_and_every_manifest_field(
    tmp_path: Path, trust: Path, where: str, field: str, value: object
) -> None:
    """Editing what a signer saw (when evidence was collected, by what, for which phase)
    after the signature voids it, even with the same bytes."""
    bundle = with_signoffs(tmp_path, signed(trust, "clinical", "clinical-authority", "Dr. A"))
    assert run_check(check("clinical-authority"), bundle, trust_dir=trust).outcome \
        is Outcome.PASS
    found = run_check(check("clinical-authority"), _edited(bundle, where, field, value),
                      trust_dir=trust)
    assert found.outcome is Outcome.FAIL and "about other evidence" in found.message
