"""A DEMO signing identity for tests, made by scripts/demo_cert.py (never committed keys)."""

from __future__ import annotations

import runpy
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

PASSWORD = "test-pass"


@dataclass(frozen=True)
class DemoPki:
    ca: Path
    cert: Path
    key: Path
    p12: Path


def make_pki(folder: Path, key_type: str = "ec") -> DemoPki:
    """A DEMO CA and signer; the signer's key is ECDSA P-256, RSA or Ed25519."""
    make = runpy.run_path(str(ROOT / "scripts" / "demo_cert.py"))["make"]
    make(folder, PASSWORD, key_type)
    return DemoPki(
        folder / "demo-ca.pem",
        folder / "demo-signer.pem",
        folder / "demo-signer.key.pem",
        folder / "demo-signer.p12",
    )
