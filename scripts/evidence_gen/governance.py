"""Governance evidence, made after every other artifact: scoped sign-offs.

Sign-offs sign the bundle's evidence digest, so this module works on the written bundle:
``signoffs(spec, folder)`` opens it with p0gate and signs what p0gate computes. Each statement
names its `scope` (the controls it approves). They are made with DEMO keys derived from fixed
seeds: private keys under evidence/examples/keys/demo-*.pem, public keys and trust.yaml in
policies/trust/. They prove nothing about real people. Earlier gates are proven by the
decision ledger (or a signed PDF report), not by files made here.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

from evidence_gen import Art, Spec

ROOT = Path(__file__).resolve().parents[2]
KEYS = ROOT / "evidence" / "examples" / "keys"
TRUST = ROOT / "policies" / "trust"
TOPICS = ("signoffs", "signoff-clinical")

AUTHORITIES = (
    "crisis-authority",
    "compliance-authority",
    "clinical-authority",
    "security-authority",
)
FINAL = ("deployment-lead", *AUTHORITIES, "executive")
OWN = {  # what each authority approves at every gate of the rollout
    "crisis-authority": ["CR-11"],
    "compliance-authority": ["HI-ADM", "HI-6"],
    "clinical-authority": ["CL-1", "CL-3", "CL-5"],
    "security-authority": ["SE-5"],
}
PHASE_OPENING = ("beta", "staging", "production-25")  # GV-1: "Before Each Phase"


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


def scopes(spec: Spec) -> dict[str, list[str]]:
    """Role: the scopes it approves, for the gate that judges this bundle."""
    if spec.monitor:
        return {}
    if spec.gate == "post-rollback":
        return {role: ["RB"] for role in ("crisis-authority", "compliance-authority",
                                          "deployment-lead")}
    out = {role: list(own) for role, own in OWN.items()}
    if spec.gate == "beta":
        out["compliance-authority"].remove("HI-6")
    for role in out:
        out[role] += ["GV-1"] * (spec.gate in PHASE_OPENING)
        out[role] += ["GV-3"] * (spec.gate == "production-25")
    if spec.gate == "production-25":
        out.update({"deployment-lead": ["GV-3"], "executive": ["GV-3"]})
    if "clinical-scope" in spec.extra:  # an edge case: the clinical authority signs less
        out["clinical-authority"] = spec.extra["clinical-scope"].split(",")
    return out


def signoffs(spec: Spec, folder: Path) -> list[Art]:
    """Sign-offs over the evidence digest of the bundle already written to ``folder``."""
    from p0gate.evidence.bundle import open_bundle

    with open_bundle(folder) as bundle:
        return [_signoff(spec, bundle, role, scope) for role, scope in scopes(spec).items()]


def _signoff(spec: Spec, bundle, role: str, scope: list[str]) -> Art:  # type: ignore[no-untyped-def]
    from p0gate.attest import sign, statement_for, to_yaml

    reject = spec.bad("signoffs") or (role == "clinical-authority" and spec.bad("signoff-clinical"))
    when = spec.collected_at + timedelta(hours=1)
    statement = statement_for(
        bundle, role=role, signer=signer(role), decision="reject" if reject else "approve",
        signed_at=when, scope=scope,
        comment=f"DEMO sign-off for the {spec.name} example ({spec.phase} evidence)",
    )
    return Art(
        f"signoff-{role}",
        "signoff",
        f"signoffs/{role}.yaml",
        to_yaml(sign(statement, demo_key(role))),
        when,
        f"p0gate signoff --role {role} --scope {' --scope '.join(scope)} (demo key)",
    )
