"""JSON Schemas of the file formats, for editors (yaml-language-server) and other tools."""

from __future__ import annotations

import json


def schema_json(what: str) -> str:
    if what == "policy":
        from p0gate.policy import PolicySet as Model
    elif what == "bundle":
        from p0gate.evidence.bundle import Manifest as Model  # type: ignore[assignment]
    else:
        from p0gate.result import Result as Model  # type: ignore[assignment]
    schema = Model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, sort_keys=True)
