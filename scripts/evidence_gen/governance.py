"""Governance evidence, made after every other artifact: prior results, then sign-offs.

Sign-offs sign the bundle's evidence digest over all non-signoff artifacts, so this module is a
post-module: ``post_artifacts(spec, arts, folder)`` receives what the other modules built. The
prior result is the real evaluator's JSON result of the previous phase's bundle (written
earlier in the same run, in ``folder``). Sign-offs are made with DEMO keys derived from fixed
seeds: private keys under evidence/examples/keys/demo-*.pem, public keys and trust.yaml in
policies/trust/. They prove nothing about real people.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

from evidence_gen import Art, Spec, manifest

ROOT = Path(__file__).resolve().parents[2]
KEYS = ROOT / "evidence" / "examples" / "keys"
TRUST = ROOT / "policies" / "trust"
TOPICS = ("signoffs", "signoff-clinical", "prior-result")

AUTHORITIES = (
    "crisis-authority",
    "compliance-authority",
    "clinical-authority",
    "security-authority",
)
FINAL = ("deployment-lead", *AUTHORITIES, "executive")
PRIOR = {
    "staging-go": "beta-go",
    "staging-no-go": "beta-go",
    "staging-pass": "beta-pass",
    "staging-fail": "beta-fail",
    "production-pass": "staging-pass",
    "production-fail": "staging-fail",
}


def signer(role: str) -> str:
    return "Demo " + role.replace("-", " ").title()


def demo_key(role: str):  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    seed = hashlib.sha256(f"p0gate demo key, not a secret: {role}".encode()).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def write_keys() -> None:
    """Demo private keys (examples only) and the pack's trust store of their public keys."""
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    KEYS.mkdir(parents=True, exist_ok=True)
    TRUST.mkdir(parents=True, exist_ok=True)
    entries = []
    for role in FINAL:
        key = demo_key(role)
        (KEYS / f"demo-{role}.pem").write_bytes(
            key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        )
        (TRUST / f"demo-{role}.pub.pem").write_bytes(
            key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        )
        entries.append(
            f"  - name: {signer(role)}\n    roles: [{role}]\n    public_key: demo-{role}.pub.pem\n"
        )
    (TRUST / "trust.yaml").write_text(
        "# DEMO trust store: keys derived from public seeds by scripts/evidence_gen/"
        "governance.py.\n# Replace with your authorities' real keys before any real use.\n"
        "apiVersion: p0gate/v1\nkind: TrustStore\nsigners:\n" + "".join(entries)
    )
    (KEYS / "README.md").write_text(
        "DEMO private keys for the example sign-offs. They are derived from public seeds\n"
        "(scripts/evidence_gen/governance.py): anyone can recreate them. Never trust them.\n"
    )


def post_artifacts(spec: Spec, arts: list[Art], folder: Path) -> list[Art]:
    out = [_prior(spec, folder)] if spec.name in PRIOR else []
    digest = evidence_digest(spec, [*arts, *out])
    roles = FINAL if spec.phase == "production" else AUTHORITIES
    out.extend(_signoff(spec, role, digest) for role in roles)
    return out


def evidence_digest(spec: Spec, arts: list[Art]) -> str:
    """Bundle.evidence_digest() of the bundle these artifacts will make, by p0gate's own
    definition (metadata and every manifest field of the non-signoff artifacts)."""
    from p0gate.evidence.bundle import Manifest
    from p0gate.evidence.bundle import evidence_digest as digest_of

    return digest_of(Manifest.model_validate(manifest(spec, arts)))


def _signoff(spec: Spec, role: str, digest: str) -> Art:
    from p0gate.attest import sign, to_yaml
    from p0gate.evidence.statement import Statement, Subject

    reject = spec.bad("signoffs") or (role == "clinical-authority" and spec.bad("signoff-clinical"))
    statement = Statement(
        role=role,
        signer=signer(role),
        decision="reject" if reject else "approve",
        subject=Subject(system="p0-cloud-sync", version=spec.version, evidence_digest=digest),
        signed_at=spec.collected_at + timedelta(hours=1),
        comment=f"DEMO sign-off for the {spec.name} example ({spec.phase} evidence)",
    )
    return Art(
        f"signoff-{role}",
        "signoff",
        f"signoffs/{role}.yaml",
        to_yaml(sign(statement, demo_key(role))),
        spec.collected_at + timedelta(hours=1),
        f"p0gate signoff --role {role} (demo key)",
    )


def _prior(spec: Spec, folder: Path) -> Art:
    from contextlib import ExitStack

    from p0gate.evaluate import evaluate
    from p0gate.evidence.bundle import open_bundle
    from p0gate.policy import load_pack

    prior = folder / PRIOR[spec.name]
    with ExitStack() as stack:
        bundle = stack.enter_context(open_bundle(prior))
        # the prior gate was itself judged against its own previous phase (regression)
        before = PRIOR.get(prior.name)
        baseline = stack.enter_context(open_bundle(folder / before)) if before else None
        phase = bundle.metadata.phase
        assert phase in {"beta", "staging", "production"}
        now = bundle.metadata.collected_at + timedelta(hours=12)
        result = evaluate(
            load_pack(ROOT / "policies", trust=TRUST),
            bundle,
            phase=phase,
            now=now,
            baseline=baseline,
        )
    return Art(
        "prior-result",
        "prior-result",
        f"governance/{PRIOR[spec.name]}-result.json",
        result.canonical(),
        now,
        f"p0gate evaluate --phase {phase} of {prior.name}",
    )
