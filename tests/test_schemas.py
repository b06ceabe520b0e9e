"""JSON Schemas of the file formats, one per name in SCHEMAS."""

import json

import pytest
from jsonschema import Draft202012Validator

from p0gate.schemas import SCHEMAS, schema_json


@pytest.mark.parametrize(("what", "title", "kind"), [
    ("policy", "PolicySet", "PolicySet"), ("pack", "PackSettings", "Pack"),
    ("bundle", "Manifest", "EvidenceBundle"),
    ("result", "Result", "EvaluationResult")])
def test_each_schema_describes_its_document(what: str, title: str, kind: str) -> None:
    schema = json.loads(schema_json(what))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == title and "apiVersion" in schema["required"]
    assert kind in json.dumps(schema["properties"]["kind"])


def test_the_names_are_the_cli_choices() -> None:
    assert SCHEMAS == ("policy", "pack", "bundle", "result")


def test_the_default_pack_settings_validate_against_the_pack_schema() -> None:
    import yaml

    from tests.conftest import POLICIES

    schema = json.loads(schema_json("pack"))
    data = yaml.safe_load((POLICIES / "pack.yaml").read_text())
    assert list(Draft202012Validator(schema).iter_errors(data)) == []
    assert {"authorities", "gates", "escalation"} <= set(schema["properties"])
