"""`p0gate signoff`: a deterministic Ed25519 statement that the signoff check accepts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from p0gate.checks.signoff import SignoffCheck
from p0gate.cli import run
from p0gate.evidence.statement import SignOff
from p0gate.outcome import Outcome
from tests.bundlekit import File, make_bundle, run_check, write_keypair, write_trust


def test_cli_writes_a_verifiable_signoff(tmp_path: Path) -> None:
    key = write_keypair(tmp_path / "trust", "ciso")
    write_trust(tmp_path / "trust", [("C. Iso", ["security-authority"], "ciso.pub.pem")])
    bundle = make_bundle(tmp_path / "b", [File("doc", "document", "pentest.pdf", b"%PDF")])
    out = tmp_path / "so.yaml"
    args = [
        "signoff",
        "--role",
        "security-authority",
        "--signer",
        "C. Iso",
        "--key",
        str(key),
        "--evidence",
        str(tmp_path / "b"),
        "--now",
        "2025-09-30T13:00:00Z",
        "-o",
        str(out),
    ]
    assert run(args) == 0
    first = out.read_bytes()
    assert run(args) == 0 and out.read_bytes() == first  # Ed25519 is deterministic
    doc = SignOff.model_validate(yaml.safe_load(first))
    assert doc.statement.subject.evidence_digest == bundle.evidence_digest()
    assert doc.statement.decision == "approve"
    (tmp_path / "b" / "so.yaml").write_bytes(first)
    signed = make_bundle(
        tmp_path / "b",
        [File("doc", "document", "pentest.pdf", b"%PDF"), File("so", "signoff", "so.yaml", first)],
    )
    assert signed.evidence_digest() == bundle.evidence_digest()  # sign-offs are excluded
    check = SignoffCheck.model_validate({"type": "signoff", "roles": ["security-authority"]})
    assert run_check(check, signed, trust_dir=tmp_path / "trust").outcome is Outcome.PASS
    assert doc.statement.subject.scope is None and b"scope" not in first


def test_cli_scopes_what_is_approved(tmp_path: Path) -> None:
    key = write_keypair(tmp_path / "trust", "ciso")
    make_bundle(tmp_path / "b", [File("doc", "document", "pentest.pdf", b"%PDF")])
    out = tmp_path / "so.yaml"
    assert run(["signoff", "--role", "security-authority", "--signer", "C. Iso", "--key",
                str(key), "--evidence", str(tmp_path / "b"), "--now", "2025-09-30T13:00:00Z",
                "--scope", "GV-1", "--scope", "SE-5", "-o", str(out)]) == 0
    doc = SignOff.model_validate(yaml.safe_load(out.read_bytes()))
    assert doc.statement.subject.scope == ["GV-1", "SE-5"]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"--role": "Security Authority"}, "role"),
        ({"--key": "missing.pem"}, "cannot read the key"),
        ({"--key": "b/doc.txt"}, "not an unencrypted PEM private key"),
    ],
)
def test_cli_bad_input_is_exit_3(
    tmp_path: Path, change: dict[str, str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    key = write_keypair(tmp_path, "k")
    make_bundle(tmp_path / "b", [File("doc", "document", "doc.txt", b"x")])
    opts = {
        "--role": "security-authority",
        "--signer": "S",
        "--key": str(key),
        "--evidence": str(tmp_path / "b"),
        "-o": str(tmp_path / "o.yaml"),
    }
    opts.update({k: (str(tmp_path / v) if k == "--key" else v) for k, v in change.items()})
    assert run(["signoff", *[x for kv in opts.items() for x in kv]]) == 3
    assert words in capsys.readouterr().err
