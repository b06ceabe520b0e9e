"""The reader registry is the one list of evidence kinds; everything else derives from it."""

import pkgutil
from importlib import import_module
from typing import get_args

import pytest

import p0gate.evidence as package
from p0gate.checks import CHECKS
from p0gate.evidence import KINDS, READERS, ArtifactKind, guess_kind, kinds_read_by, reader_for
from p0gate.evidence.bundle import Artifact
from p0gate.evidence.sarif import SarifReader


def test_every_kind_has_exactly_one_reader_of_that_kind() -> None:
    kinds = [r.kind for r in READERS]
    assert sorted(kinds) == sorted(get_args(ArtifactKind)) == sorted(set(kinds))
    for entry in READERS:
        assert entry.load().kind == entry.kind, entry
        assert entry.formats


def test_every_reader_module_is_registered() -> None:
    registered = {r.target.split(":")[0] for r in READERS}
    for info in pkgutil.iter_modules(package.__path__):
        module = import_module(f"{package.__name__}.{info.name}")
        readers = [v for k, v in vars(module).items()
                   if isinstance(v, type) and v.__module__ == module.__name__
                   and isinstance(getattr(v, "kind", None), str) and hasattr(v, "read")]
        if readers:
            assert module.__name__ in registered, f"{module.__name__} is not in READERS"


def test_unknown_kind() -> None:
    assert reader_for("spreadsheet") is None


def test_the_manifest_allows_exactly_the_registered_kinds() -> None:
    assert get_args(Artifact.model_fields["kind"].annotation) == KINDS
    entry = {"id": "a", "path": "a.csv", "collected_at": "2025-09-27T10:00:00Z"}
    with pytest.raises(ValueError, match="spreadsheet"):
        Artifact.model_validate({**entry, "kind": "spreadsheet"})


def test_checks_accept_registered_kinds_only() -> None:
    for check in CHECKS:
        assert set(check.accepts) <= set(KINDS), check
        assert check.default_kind is None or check.default_kind in check.accepts, check


def test_accepted_kinds_come_from_the_readers_named() -> None:
    assert kinds_read_by(SarifReader) == ("sarif",)
    with pytest.raises(LookupError, match="not in READERS"):
        kinds_read_by(str)


@pytest.mark.parametrize(("name", "kind"), [
    ("bandit.sarif", "sarif"), ("junit-report.xml", "junit"), ("surefire.xml", "junit"),
    ("crisis-latency.csv", "latency-samples"), ("samples.parquet", "latency-samples"),
    ("latency_stats.csv", "latency-samples"), ("run_stats.csv", "load-summary"),
    ("axe-home.json", "axe"), ("incidents.jsonl", "incidents"), ("metrics.yaml", "metrics"),
    ("clinical-signoff.yaml", "signoff"), ("runbook.pdf", "document"),
])
def test_bundle_init_guesses_from_the_registry(name: str, kind: str) -> None:
    assert guess_kind(name) == kind
