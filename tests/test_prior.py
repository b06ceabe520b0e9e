"""The release's history: ledger rows (only from an intact chain) and prior reports, counted
only when a signed PDF chains to a report signer of the trust store."""

from __future__ import annotations

from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from p0gate.attest import load_private_key
from p0gate.checks.trust import load_trust
from p0gate.errors import InputError
from p0gate.evaluate import evaluate
from p0gate.evidence.bundle import open_bundle
from p0gate.evidence.store import EvidenceStore
from p0gate.history import History
from p0gate.ledger import Ledger
from p0gate.policy import load_pack
from p0gate.prior import history, ledger_decisions, read_history, trust_of
from p0gate.result import Result
from p0gate.runner import Inputs, evaluate_paths
from p0gate.signing import load_signer, sign_report
from tests.bundlekit import File
from tests.lifecyclekit import lifecycle_pack, release
from tests.signkit import PASSWORD, DemoPki, make_pki

CANARY_AT = datetime(2025, 9, 27, tzinfo=UTC)
GA_AT = datetime(2025, 10, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> DemoPki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def canary(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """The shop pack, and its GO at the canary gate for shop 2.0.0."""
    root = tmp_path_factory.mktemp("canary")
    pack = lifecycle_pack(root / "pack")
    with open_bundle(release(root / "b", phase="dev", values=[10.0, 20.0]).root) as bundle:
        result = evaluate(load_pack(pack), bundle, gate="canary", now=CANARY_AT)
    assert result.decision == "GO"
    return pack, result


@pytest.fixture(scope="module")
def signed(canary: tuple[Path, Result], pki: DemoPki) -> bytes:
    return sign_report(canary[1], load_signer(pkcs12=pki.p12, password=PASSWORD.encode()))


def trust_dir(folder: Path, anchor: Path | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    body = "apiVersion: p0gate/v1\nkind: TrustStore\nsigners: []\n"
    if anchor is not None:
        (folder / "release-ca.pem").write_bytes(anchor.read_bytes())
        body += "report_signers:\n  - {name: Release CA, certificate: release-ca.pem}\n"
    (folder / "trust.yaml").write_text(body)
    return folder


def ga_bundle(tmp_path: Path, prior: bytes, name: str = "canary.pdf") -> Path:
    extra = [File("canary-report", "prior-result", f"governance/{name}", prior)]
    return release(tmp_path / "ga", phase="canary", values=[10.0, 20.0], extra=extra).root


def built(tmp_path: Path, bundle: Path, trust: Path | None) -> History:
    with open_bundle(bundle) as opened, EvidenceStore() as store:
        return history(opened, store, ledger=None, trust=load_trust(trust) if trust else None)


def test_a_signed_report_chaining_to_a_report_signer_counts(tmp_path: Path, signed: bytes,
                                                            pki: DemoPki) -> None:
    past = built(tmp_path, ga_bundle(tmp_path, signed), trust_dir(tmp_path / "t", pki.ca))
    assert past.notes == () and len(past.decisions) == 1
    found = past.decisions[0]
    assert (found.system, found.version, found.gate, found.decision) == (
        "shop", "2.0.0", "canary", "GO")
    assert found.source.startswith("signed report governance/canary.pdf (")


def test_the_whole_gate_goes_with_a_signed_report(tmp_path: Path, signed: bytes, pki: DemoPki,
                                                  canary: tuple[Path, Result]) -> None:
    pack = canary[0]
    trust_dir(pack / "trust", pki.ca)
    try:
        inputs = Inputs(ga_bundle(tmp_path, signed), pack,
                        ledger=f"sqlite:///{tmp_path / 'none.db'}")
        result = evaluate_paths(inputs, gate="ga", now=GA_AT)
    finally:
        (pack / "trust" / "trust.yaml").unlink()
    assert result.decision == "GO" and result.after is not None and result.after.met
    assert "signed report governance/canary.pdf" in result.after.message
    assert not (tmp_path / "none.db").exists()  # reading a missing ledger creates nothing


def other_ca(tmp_path: Path) -> Path:
    return make_pki(tmp_path / "other").ca


@pytest.mark.parametrize(("case", "words"), [
    ("json", "is a result JSON, which proves nothing on its own"),
    ("no-anchor", "no report signer in the trust store"),
    ("no-trust", "no report signer in the trust store"),
    ("other-ca", "not valid or not trusted"),
    ("appended", "not valid or not trusted"),
    ("unsigned", "not valid or not trusted (the PDF carries no signature)"),
])
def test_what_proves_nothing_is_noted_not_counted(tmp_path: Path, signed: bytes, pki: DemoPki,
                                                  canary: tuple[Path, Result], case: str,
                                                  words: str) -> None:
    from p0gate.formats.pdf import render_pdf

    data = {"json": canary[1].canonical(), "appended": signed + b"\n% appended\n",
            "unsigned": render_pdf(canary[1])}.get(case, signed)
    name = "canary.json" if case == "json" else "canary.pdf"
    anchor = {"no-anchor": None, "other-ca": other_ca(tmp_path)}.get(case, pki.ca)
    trust = None if case == "no-trust" else trust_dir(tmp_path / "t", anchor)
    past = built(tmp_path, ga_bundle(tmp_path, data, name), trust)
    assert past.decisions == () and len(past.notes) == 1 and words in past.notes[0]
    check = past.passed(system="shop", version="2.0.0", gate="canary", now=GA_AT)
    assert not check.met and words in check.message


def test_a_tampered_prior_artifact_is_noted(tmp_path: Path, signed: bytes, pki: DemoPki) -> None:
    bundle = ga_bundle(tmp_path, signed)
    (bundle / "governance" / "canary.pdf").write_bytes(signed[:-10])
    past = built(tmp_path, bundle, trust_dir(tmp_path / "t", pki.ca))
    assert past.decisions == () and "sha256 mismatch" in past.notes[0]


def test_ledger_rows_become_decisions_only_from_an_intact_chain(
        tmp_path: Path, canary: tuple[Path, Result]) -> None:
    url = f"sqlite:///{tmp_path / 'l.db'}"
    assert ledger_decisions(url) == ([], None) and not (tmp_path / "l.db").exists()
    book = Ledger.open(url)
    book.append(canary[1], recorded_at=GA_AT)
    book.close()
    rows, problem = ledger_decisions(url)
    assert problem is None and [(r.gate, r.decision, r.source) for r in rows] == [
        ("canary", "GO", "ledger row 1")]
    assert rows[0].evaluated_at == CANARY_AT and rows[0].digest == canary[1].digest
    import sqlite3

    with sqlite3.connect(tmp_path / "l.db") as db:
        db.execute("UPDATE p0gate_decisions SET evaluated_at = '2025-01-01T00:00:00Z'")
    rows, problem = ledger_decisions(url)
    assert rows == [] and problem is not None and "hash chain is broken" in problem


def test_the_trust_store_comes_from_the_pack_or_its_folder(tmp_path: Path, pki: DemoPki) -> None:
    pack = load_pack(lifecycle_pack(tmp_path / "pack"))
    assert trust_of(pack, None) is None
    folder = trust_dir(tmp_path / "t", pki.ca)
    found = trust_of(pack, folder)
    assert found is not None and found.report_anchors == (folder / "release-ca.pem",)
    assert trust_of(load_pack(lifecycle_pack(tmp_path / "pack")), None) is None


def test_seeded_decisions_join_the_history(tmp_path: Path) -> None:
    from p0gate.history import PriorDecision

    bundle = release(tmp_path / "b", phase="canary", values=[1.0])
    seed = PriorDecision("shop", "2.0.0", "canary", "GO", GA_AT - timedelta(days=3), "seed")
    with open_bundle(bundle.root) as opened, EvidenceStore() as store:
        past = history(opened, store, ledger=None, trust=None, seeded=[seed])
    assert past.decisions == (seed,) and past.passed(
        system="shop", version="2.0.0", gate="canary", now=GA_AT, min_days=2).met


def test_with_a_ledger_signer_only_a_ledger_it_signed_throughout_counts(
        tmp_path: Path, canary: tuple[Path, Result]) -> None:
    """Design §7: when the trust store names a signer with the role ``ledger``, ``after:``
    accepts only rows signed by it; a row unsigned, or signed by another key, and the ledger
    counts for nothing (a forger who can recompute hashes cannot add a GO)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from p0gate.prior import ledger_signers
    from tests.bundlekit import write_keypair, write_trust

    folder = tmp_path / "trust"
    key = load_private_key(write_keypair(folder, "ledger"))
    write_trust(folder, [("CI ledger", ["ledger"], "ledger.pub.pem")])
    signers = ledger_signers(load_trust(folder))
    assert len(signers) == 1 and ledger_signers(None) == {}
    url = f"sqlite:///{tmp_path / 'l.db'}"
    book = Ledger.open(url)
    book.append(canary[1], recorded_at=GA_AT, key=key)  # type: ignore[arg-type]
    rows, problem = ledger_decisions(url, signers)
    assert problem is None and [(r.gate, r.decision) for r in rows] == [("canary", "GO")]
    for extra in (None, Ed25519PrivateKey.generate()):
        book.append(canary[1], recorded_at=GA_AT, key=extra)
        rows, problem = ledger_decisions(url, signers)
        assert rows == [] and problem is not None
        assert "not all signed by a ledger key of the trust store" in problem, problem
        assert len(ledger_decisions(url)[0]) == 2 + (extra is not None)  # no signer named
    book.close()


def test_after_reads_the_ledger_through_the_trust_stores_ledger_signer(
        tmp_path: Path, canary: tuple[Path, Result]) -> None:
    """The runner's history honours the ledger signer of the trust store it is given: the
    same unsigned canary GO meets ga's after: without one, and not with one."""
    from tests.bundlekit import write_keypair, write_trust

    url = f"sqlite:///{tmp_path / 'l.db'}"
    book = Ledger.open(url)
    book.append(canary[1], recorded_at=GA_AT)
    book.close()
    bundle = release(tmp_path / "ga", phase="canary", values=[10.0, 20.0]).root
    plain_trust = trust_dir(tmp_path / "plain", None)
    signed_trust = tmp_path / "signed"
    write_keypair(signed_trust, "ledger")
    write_trust(signed_trust, [("CI ledger", ["ledger"], "ledger.pub.pem")])
    found = {}
    for name, trust in (("plain", plain_trust), ("signed", signed_trust)):
        inputs = Inputs(evidence=bundle, policies=canary[0], trust=trust, ledger=url)
        found[name] = evaluate_paths(inputs, gate="ga", now=GA_AT)
    assert found["plain"].after is not None and found["plain"].after.met
    assert found["signed"].decision == "NO-GO" and found["signed"].after is not None
    assert "not all signed by a ledger key" in found["signed"].after.message


def test_a_tampered_ledger_draws_no_history(canary: tuple[Path, Result],
                                            tmp_path: Path) -> None:
    import sqlite3

    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    with closing(Ledger.open(url)) as book:
        book.append(canary[1], recorded_at=GA_AT)
    assert [p.decision for p in read_history(canary[1], url, trust=None)] == ["GO"]
    with sqlite3.connect(tmp_path / "ledger.db") as db:
        db.execute("UPDATE p0gate_decisions SET decision = 'NO-GO'")
    with pytest.raises(InputError, match="does not verify"):
        read_history(canary[1], url, trust=None)


def test_the_history_chart_reads_the_ledger_as_after_reads_it(
        tmp_path: Path, canary: tuple[Path, Result]) -> None:
    """A result evaluated with a trust store that names a ledger signer draws only a ledger
    that key signed throughout, and only with that very trust store at hand."""
    from tests.bundlekit import write_keypair, write_trust

    folder = tmp_path / "trust"
    key = load_private_key(write_keypair(folder, "ledger"))
    write_trust(folder, [("CI ledger", ["ledger"], "ledger.pub.pem")])
    bundle = release(tmp_path / "b", phase="dev", values=[10.0, 20.0]).root
    result = evaluate_paths(Inputs(evidence=bundle, policies=canary[0], trust=folder),
                            gate="canary", now=CANARY_AT)
    assert result.pack.trust is not None
    url = f"sqlite:///{tmp_path / 'l.db'}"
    with closing(Ledger.open(url)) as book:
        book.append(result, recorded_at=CANARY_AT, key=key)  # type: ignore[arg-type]
    drawn = read_history(result, url, trust=folder)
    assert [(p.gate, p.decision, p.current) for p in drawn] == [("canary", "GO", True)]
    with pytest.raises(InputError, match="trust store the result was checked against"):
        read_history(result, url, trust=trust_dir(tmp_path / "other", None))
    with closing(Ledger.open(url)) as book:
        book.append(result, recorded_at=GA_AT)  # unsigned: the ledger proves nothing now
    with pytest.raises(InputError, match="not all signed by a ledger key"):
        read_history(result, url, trust=folder)
