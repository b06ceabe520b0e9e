"""prior-result: the JSON result of an earlier gate, trusted only when its digest holds."""

import json

import pytest

from p0gate.errors import EvidenceError
from p0gate.evidence.prior_result import PriorResultReader
from p0gate.result import Result
from tests.bundlekit import blob_of
from tests.conftest import TEST_DATA

GOLDEN = (TEST_DATA / "golden" / "result.json").read_bytes()


def read(path: str, data: bytes) -> Result:
    return PriorResultReader().read(blob_of("prior-result", path, data, "prior"))


def test_a_result_json_reads_with_its_digest() -> None:
    result = read("beta.json", GOLDEN)
    assert json.loads(result.canonical()) == json.loads(GOLDEN) and len(result.digest) == 64


def test_an_edited_result_is_refused() -> None:
    edited = GOLDEN.replace(b'"decision": "NO-GO"', b'"decision": "GO"')
    assert edited != GOLDEN
    with pytest.raises(EvidenceError, match=r"'prior'.*digest does not match"):
        read("beta.json", edited)


def test_only_the_json_report_is_read() -> None:
    with pytest.raises(EvidenceError, match="JSON report of `p0gate evaluate`"):
        read("beta.pdf", b"%PDF-1.7")
