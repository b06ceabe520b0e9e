"""The copies in tests/data/shared are the project's shared reference files, unchanged.

The copies make the tests independent of ``../shared`` (absent from a CI clone); their digests
are pinned here, and when ``../shared`` is beside the checkout the copies must equal it.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDORED = ROOT / "tests" / "data" / "shared"
SHARED = ROOT.parent / "shared"
SARIF_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


def test_the_sarif_schema_is_the_official_one() -> None:
    data = (VENDORED / "sarif-schema-2.1.0.json").read_bytes()
    assert hashlib.sha256(data).hexdigest() == SARIF_SHA256
    schema = json.loads(data)
    assert schema["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]
    if (SHARED / "schemas").is_dir():
        assert (SHARED / "schemas" / "sarif-schema-2.1.0.json").read_bytes() == data


def test_the_seed_ids_are_those_of_the_requirements_document() -> None:
    ids = (VENDORED / "seed-requirement-ids.txt").read_text().split()
    assert len(ids) == len(set(ids)) == 47
    assert all(re.fullmatch(r"(CR|PF|SE|HI|CL|US|GV)-\d+", i) for i in ids)
    document = SHARED / "docs" / "seed-requirements.md"
    if document.is_file():
        assert re.findall(r"^\| ([A-Z]{2}-\d+) \|", document.read_text(), re.M) == ids
