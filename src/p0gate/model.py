"""Base model and shared vocabularies of everything p0gate reads from files."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

ArtifactKind = Literal[
    "latency-samples", "load-summary", "junit", "axe", "sarif", "metrics", "incidents",
    "assessment-scores", "ui-strings", "config", "document", "signoff", "prior-result",
]


class Model(BaseModel):
    """Base of every model read from a file: frozen, strict, no unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)
