"""The sign-off statement (kind signoff): its reader and the document it reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from p0gate.errors import EvidenceError
from p0gate.evidence.bundle import open_bundle
from p0gate.evidence.statement import SignoffReader
from tests.bundlekit import File, make_bundle


def test_reader_reports_bad_yaml(tmp_path: Path) -> None:
    with open_bundle(
        make_bundle(
            tmp_path, [File("so", "signoff", "so.yaml", b"apiVersion: p0gate/v1\nkind: SignOff\n")]
        ).root
    ) as bundle:
        artifact = bundle.find("so")
        assert artifact is not None
        with pytest.raises(EvidenceError, match=r"'so'.*not a valid sign-off.*statement"):
            SignoffReader().read(bundle.blob(artifact))
