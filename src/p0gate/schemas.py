"""JSON Schemas of the file formats, for editors (yaml-language-server) and other tools."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import BaseModel

SCHEMAS = ("policy", "pack", "bundle", "test", "result")  # what `p0gate schema` prints


def schema_json(what: str) -> str:
    """The JSON Schema of ``what`` (one of ``SCHEMAS``), pretty-printed."""
    schema = _model(what).model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, sort_keys=True)


def _model(what: str) -> type[BaseModel]:
    """The model of each schema, imported only when asked for."""
    if what == "policy":
        from p0gate.policy import PolicySet

        return PolicySet
    if what == "pack":
        from p0gate.policy import PackSettings

        return PackSettings
    if what == "bundle":
        from p0gate.evidence.bundle import Manifest

        return Manifest
    if what == "test":
        from p0gate.packtest import PolicyTest

        return PolicyTest
    from p0gate.result import Result

    return Result
