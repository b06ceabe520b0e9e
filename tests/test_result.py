import json
from pathlib import Path

import pytest

from p0gate.errors import InputError
from p0gate.result import canonical_json, load_result
from tests.conftest import EXAMPLES
from tests.test_evaluate import run


def test_canonical_json_is_sorted_compact_and_carries_its_digest() -> None:
    result = run(EXAMPLES / "lifecycle" / "01-pre-release")
    raw = result.canonical()
    data = json.loads(raw)
    assert raw == canonical_json(data)
    assert b"\n" not in raw and raw.startswith(b"{\"after\":null,\"apiVersion\":\"p0gate/v1\",")
    assert data["decision"] == "GO" and data["digest"] == result.digest
    for key in ("tool", "evaluated_at", "gate", "pack", "bundle", "counts", "waivers",
                "controls", "baseline"):
        assert key in data
    first = data["controls"][0]
    for key in ("id", "outcome", "measured", "required", "alert_level", "message", "evidence",
                "references", "waiver"):
        assert key in first


def test_load_result_checks_the_digest(tmp_path: Path) -> None:
    raw = run(EXAMPLES / "lifecycle" / "01-pre-release").canonical()
    assert load_result(raw).decision == "GO"
    forged = raw.replace(b'"decision":"GO"', b'"decision":"NO-GO"')
    with pytest.raises(InputError, match="digest does not match"):
        load_result(forged)
    with pytest.raises(InputError, match="not a p0gate result"):
        load_result(b'{"decision": "GO"}')


def test_the_result_owns_its_exit_code() -> None:
    go, no_go = run(EXAMPLES / "lifecycle" / "01-pre-release"), run(EXAMPLES / "no-go" / "beta")
    assert (go.decision, no_go.decision) == ("GO", "NO-GO")
    assert (go.exit_code, no_go.exit_code) == (0, 1)
