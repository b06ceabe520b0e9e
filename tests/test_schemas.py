"""JSON Schemas of the file formats, one per name in SCHEMAS."""

import json

import pytest
from jsonschema import Draft202012Validator

from p0gate.schemas import SCHEMAS, schema_json


@pytest.mark.parametrize(("what", "title", "kind"), [
    ("policy", "PolicySet", "PolicySet"), ("pack", "PackSettings", "Pack"),
    ("bundle", "Manifest", "EvidenceBundle"), ("test", "PolicyTest", "PolicyTest"),
    ("result", "Result", "EvaluationResult")])
def test_each_schema_describes_its_document(what: str, title: str, kind: str) -> None:
    schema = json.loads(schema_json(what))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == title and "apiVersion" in schema["required"]
    assert kind in json.dumps(schema["properties"]["kind"])


def test_the_names_are_the_cli_choices() -> None:
    assert SCHEMAS == ("policy", "pack", "bundle", "test", "result")


@pytest.mark.parametrize("what", ["test", "pack"])
def test_the_default_packs_files_validate_against_their_schema(what: str) -> None:
    """An editor using the published schema accepts what p0gate accepts (and refuses a typo)."""
    from p0gate.yamlio import load_yaml
    from tests.conftest import POLICIES

    validator = Draft202012Validator(json.loads(schema_json(what)))
    files = sorted((POLICIES / "tests").glob("*.yaml")) if what == "test" else [
        POLICIES / "pack.yaml"]
    assert files
    for path in files:
        document, _ = load_yaml(path)
        assert isinstance(document, dict)
        assert not list(validator.iter_errors(document)), path
        assert list(validator.iter_errors({**document, "expcet": {}})), "typo accepted"


def test_the_pack_schema_covers_the_lifecycle() -> None:
    schema = json.loads(schema_json("pack"))
    assert {"authorities", "gates", "escalation"} <= set(schema["properties"])
