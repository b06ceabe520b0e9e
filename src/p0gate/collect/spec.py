"""The collection spec (``kind: Collection``, design.md §3): sources and what to fetch."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, model_validator

from p0gate.documents import Model
from p0gate.outcome import NAME

Unit = Literal["ns", "us", "ms", "s"]


class SqlSource(Model):
    type: Literal["sql"]
    url: str = Field(description=(
        "duckdb:///:memory: (default engine), duckdb:///FILE, spark://local[N], or any "
        "SQLAlchemy URL (postgresql://…, trino://…)"))


class PrometheusSource(Model):
    type: Literal["prometheus"]
    url: str = Field(description="the Prometheus base URL, e.g. http://127.0.0.1:9090")


Source = Annotated[SqlSource | PrometheusSource, Field(discriminator="type")]


class SqlFetch(Model):
    from_: str = Field(alias="from", description=(
        "what to read, in the engine's dialect: a table, or read_parquet('…/*.parquet')"))
    column: str = Field(description="the latency column")
    time: str | None = Field(None, description="timestamp column limiting rows to --from..--to")


class PromHistogram(Model):
    metric: str = Field(description="the histogram's name without _bucket")
    selector: str = Field("", description="label matchers, e.g. {job=\"sync\"}")


class CollectArtifact(Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", description="the artifact id")
    kind: str = Field(description="the artifact kind it becomes")
    source: str | None = Field(None, description="a name under sources (not for files)")
    unit: Unit | None = Field(None, description="unit of the latency values")
    sql: SqlFetch | None = None
    promql: dict[str, str] | None = Field(None, description=(
        "metrics: dotted path → instant query over the range ($__range)"))
    histogram: PromHistogram | None = Field(None, description="Prometheus histogram buckets")
    files: str | None = Field(None, description="glob of files other tools wrote, copied")

    @model_validator(mode="after")
    def _one_fetch(self) -> CollectArtifact:
        given = [k for k in ("sql", "promql", "histogram", "files") if getattr(self, k)]
        if len(given) != 1:
            raise ValueError(f"give exactly one of sql, promql, histogram, files "
                             f"(found {', '.join(given) or 'none'})")
        if (self.files is None) != (self.source is not None):
            raise ValueError("`source` names where to fetch from; `files` needs none")
        return self


class CollectionMetadata(Model):
    system: str
    version: str
    phase: str | None = Field(None, pattern=NAME, description=(
        "the phase of the evidence: a gate of the pack whose `evidence` it is will judge it"))
    rollout_percent: int | None = Field(None, ge=0, le=100, description=(
        "the rollout step the evidence was collected at (gates after a step need it)"))


class CollectionSpec(Model):
    apiVersion: Literal["p0gate/v1"]  # noqa: N815 - the file format's spelling
    kind: Literal["Collection"]
    metadata: CollectionMetadata
    sources: dict[str, Source] = Field(default_factory=dict)
    artifacts: list[CollectArtifact]

    @model_validator(mode="after")
    def _sources_exist(self) -> CollectionSpec:
        ids = [a.id for a in self.artifacts]
        if len(ids) != len(set(ids)):
            raise ValueError("artifact ids must be unique")
        for artifact in self.artifacts:
            if artifact.source is not None and artifact.source not in self.sources:
                raise ValueError(f"artifact {artifact.id!r}: no source {artifact.source!r}")
        return self


def load_spec(path: Path) -> CollectionSpec:
    """Parse and validate a collection spec; errors name the file, line and field."""
    from p0gate.yamlio import load_yaml, read_text, validation_error

    data, lines = load_yaml(path, text=read_text(path))
    try:
        return CollectionSpec.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, data, lines) from None
