"""`validate`, `test` and `schema` through the real CLI."""

import json
from pathlib import Path

import pytest

from p0gate.cli import run
from tests.conftest import POLICIES


@pytest.mark.parametrize("what", ["policy", "bundle", "result"])
def test_schema_is_valid_json_schema(what: str, capsys: pytest.CaptureFixture[str]) -> None:
    from jsonschema import Draft202012Validator

    assert run(["schema", what]) == 0
    schema = json.loads(capsys.readouterr().out)
    Draft202012Validator.check_schema(schema)


def test_policy_schema_validates_the_default_pack(capsys: pytest.CaptureFixture[str]) -> None:
    from jsonschema import Draft202012Validator

    from p0gate.yamlio import load_yaml  # YAML 1.2 booleans, as yaml-language-server reads

    run(["schema", "policy"])
    validator = Draft202012Validator(json.loads(capsys.readouterr().out))
    for path in POLICIES.glob("*.yaml"):
        data, _ = load_yaml(path)
        if isinstance(data, dict) and data.get("kind") == "PolicySet":
            errors = [e.message for e in validator.iter_errors(data)]
            assert errors == [], f"{path.name}: {errors[:3]}"


def test_pack_tests_pass(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["test", str(POLICIES)]) == 0, capsys.readouterr().out


def test_init_pack_then_validate_and_test_through_the_cli(tmp_path: Path) -> None:
    from p0gate.cli import run

    folder = tmp_path / "new-pack"
    assert run(["init-pack", str(folder), "--name", "orders"]) == 0
    assert run(["validate", str(folder)]) == 0
    assert run(["test", str(folder)]) == 0
    assert run(["init-pack", str(folder)]) == 3
    assert run(["schema", "test"]) == 0
