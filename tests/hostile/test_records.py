"""Duplicate ids, timezone-naive and future timestamps, and forged sign-offs."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
import yaml

from tests.hostile.kit import (
    GOOD_CSV,
    PACK,
    bundle,
    cli,
    entry,
    evaluate,
    manifest_text,
    pack,
    refused,
)


def test_duplicate_artifact_ids(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entries = [entry("latency.csv", GOOD_CSV), entry("latency.csv", GOOD_CSV)]
    got = evaluate(capsys, work, bundle(work, {"latency.csv": GOOD_CSV}, entries))
    refused(got, work=work)
    assert got.code == 3 and "duplicate" in got.err


@pytest.mark.parametrize("where", ["same-file", "two-files"])
def test_duplicate_control_ids(where: str, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = PACK.split("  - id: LAT-EXC")[0]
    policies = pack(work, first + first.split("controls:\n")[1] if where == "same-file" else PACK)
    if where == "two-files":
        (policies / "again.yaml").write_text(first.replace("name: hostile", "name: again"))
    got = evaluate(capsys, work, bundle(work, {"latency.csv": GOOD_CSV}), policies)
    refused(got, work=work)
    assert got.code == 3 and "duplicate control id" in got.err


@pytest.mark.parametrize(
    "stamp",
    [
        "2025-09-30T12:00:00",
        "2025-09-30",
        "30/09/2025",
        "yesterday",
        "2025-13-40T00:00:00Z",
        "",
        "2025-09-30T12:00:00 PST",
    ],
)
@pytest.mark.parametrize("field", ["metadata", "artifact"])
def test_naive_or_bad_timestamps(
    field: str, stamp: str, work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    item = entry(
        "latency.csv",
        GOOD_CSV,
        collected_at=stamp if field == "artifact" else "2025-09-30T12:00:00Z",
    )
    text = manifest_text(
        [item], collected_at=stamp if field == "metadata" else "2025-09-30T12:00:00Z"
    )
    got = evaluate(capsys, work, bundle(work, {"latency.csv": GOOD_CSV}, manifest=text))
    refused(got, work=work)
    assert got.code == 3


@pytest.mark.parametrize(
    "stamp", ["2025-10-02T12:00:00Z", "2099-01-01T00:00:00Z", "2025-10-01T12:06:00Z"]
)  # past the 5-minute clock skew
def test_future_evidence_is_not_fresh(
    stamp: str, work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = bundle(
        work, {"latency.csv": GOOD_CSV}, [entry("latency.csv", GOOD_CSV, collected_at=stamp)]
    )
    got = evaluate(capsys, work, folder)
    refused(got, ("LAT-FRESH",), work=work)


SIGNED_AT = "2025-09-30T13:00:00Z"
SIGNOFF_PACK = """\
apiVersion: p0gate/v1
kind: PolicySet
metadata: {name: signed, authority: governance}
controls:
  - id: GOV-SIGNOFF
    title: clinical sign-off
    severity: critical
    blocking: true
    gates: [beta]
    check: {type: signoff, roles: [clinical-authority]}
"""


def _keys(work: Path) -> tuple[Path, Path]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    trust = work / "pack" / "trust"
    trust.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in ("trusted", "rogue"):
        key = Ed25519PrivateKey.generate()
        private = work / f"{name}.pem"
        private.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        (trust / f"{name}.pub.pem").write_bytes(
            key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        paths.append(private)
    (trust / "trust.yaml").write_text(
        "apiVersion: p0gate/v1\nkind: TrustStore\nsigners:\n"
        "  - {name: Dr. A, roles: [clinical-authority], public_key: trusted.pub.pem}\n"
    )
    return paths[0], paths[1]


def _forge(doc: dict[str, object], how: str) -> dict[str, object]:
    statement = doc["statement"]
    signature = doc["signature"]
    assert isinstance(statement, dict) and isinstance(signature, dict)
    if how == "decision":
        statement["decision"] = "approve" if statement["decision"] == "reject" else "reject"
    elif how == "role":
        statement["role"] = "security-authority"
    elif how == "digest":
        statement["subject"]["evidence_digest"] = "0" * 64
    elif how == "signer":
        statement["signer"] = "Mallory"
    elif how == "signature":
        raw = bytearray(base64.b64decode(signature["value"]))
        raw[0] ^= 1
        signature["value"] = base64.b64encode(bytes(raw)).decode()
    elif how == "key":
        signature["key_sha256"] = "1" * 64
    return doc


def _signed_bundle(work: Path, capsys: pytest.CaptureFixture[str], key: Path, decision: str,
                   forge: str | None = None) -> Path:
    """A bundle of GOOD_CSV plus a sign-off over it made by the real CLI (then forged)."""
    folder = bundle(work, {"latency.csv": GOOD_CSV})
    out = work / "signoff.yaml"
    signed = cli(capsys, "signoff", "--role", "clinical-authority", "--signer", "Dr. A",
                 "--key", str(key), "--evidence", str(folder), "-o", str(out),
                 "--now", SIGNED_AT, "--decision", decision)
    assert signed.code == 0, signed.err
    data = out.read_bytes()
    if forge is not None:
        data = yaml.safe_dump(_forge(yaml.safe_load(data), forge)).encode()
    entries = [
        entry("latency.csv", GOOD_CSV),
        entry("signoff.yaml", data, id="clinical-signoff", kind="signoff"),
    ]
    return bundle(work, {"latency.csv": GOOD_CSV, "signoff.yaml": data}, entries)


@pytest.mark.parametrize(
    "how", ["decision", "role", "digest", "signer", "signature", "key", "rogue-key", "reject"]
)
def test_forged_signoffs(how: str, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trusted, rogue = _keys(work)
    policies = pack(work, SIGNOFF_PACK)
    key = rogue if how == "rogue-key" else trusted
    decision = "reject" if how == "reject" else "approve"
    folder = _signed_bundle(work, capsys, key, decision, forge=how)
    got = evaluate(capsys, work, folder, policies)
    refused(got, ("GOV-SIGNOFF",), work=work)


def test_genuine_signoff_passes(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The control case for the forgeries above."""
    trusted, _ = _keys(work)
    policies = pack(work, SIGNOFF_PACK)
    got = evaluate(capsys, work, _signed_bundle(work, capsys, trusted, "approve"), policies)
    assert got.code == 0 and got.outcome("GOV-SIGNOFF") == "pass", got.result["controls"]  # type: ignore[index]
