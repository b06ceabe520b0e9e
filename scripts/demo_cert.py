"""Write a DEMO signing identity for `make demo` and the tests: a CA and a signer issued by it.

    python scripts/demo_cert.py OUT_DIR [--password PW] [--key-type ec|rsa|ed25519]

Writes OUT_DIR/demo-ca.pem, demo-signer.pem, demo-signer.key.pem (unencrypted) and
demo-signer.p12 (PKCS#12 protected by --password, default "demo"). The signer's key is ECDSA
P-256 by default, or RSA 2048 or Ed25519 (the CA's is always P-256). Every subject says DEMO:
these keys are made on the fly and must never sign a real release.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "p0gate DEMO"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


SignerKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey


def _signer_key(kind: str) -> SignerKey:
    if kind == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    return ec.generate_private_key(ec.SECP256R1())


def _builder(
    subject: x509.Name, issuer: x509.Name, key: SignerKey, now: datetime
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )


def _usage(signer: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=signer,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signer,
        crl_sign=not signer,
        encipher_only=False,
        decipher_only=False,
    )


def make(out: Path, password: str, key_type: str = "ec") -> None:
    now = datetime.now(UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), _signer_key(key_type)
    ca_name = _name("p0gate DEMO CA (not for production)")
    ca = (
        _builder(ca_name, ca_name, ca_key, now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), True)
        .add_extension(_usage(signer=False), True)
        .sign(ca_key, hashes.SHA256())
    )
    leaf = (
        _builder(_name("p0gate DEMO signer (not for production)"), ca_name, key, now)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
        .add_extension(_usage(signer=True), True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    _write(out, ca, leaf, key, password)


def _write(
    out: Path,
    ca: x509.Certificate,
    leaf: x509.Certificate,
    key: SignerKey,
    password: str,
) -> None:
    pem = serialization.Encoding.PEM
    out.mkdir(parents=True, exist_ok=True)
    (out / "demo-ca.pem").write_bytes(ca.public_bytes(pem))
    (out / "demo-signer.pem").write_bytes(leaf.public_bytes(pem))
    (out / "demo-signer.key.pem").write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    (out / "demo-signer.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"p0gate DEMO signer",
            key,
            leaf,
            [ca],
            serialization.BestAvailableEncryption(password.encode()),
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--password", default="demo")
    parser.add_argument("--key-type", choices=("ec", "rsa", "ed25519"), default="ec")
    args = parser.parse_args()
    make(args.out, args.password, args.key_type)
    print(f"wrote DEMO CA and signer to {args.out}")


if __name__ == "__main__":
    main()
