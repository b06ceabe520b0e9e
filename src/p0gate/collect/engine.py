"""``p0gate collect``'s engine: run a spec, write artifacts and their manifest entries.

Each source is asked only for what the pack needs: ``asks`` maps an artifact id to the
thresholds (ms) and statistics its controls use (the caller derives them from the pack).
Fetched data and its provenance (source, query, range, engine version, row counts) are
written as canonical JSON (sorted keys), so the same query over the same data and range
gives byte-identical artifacts and digests. Copied files keep their bytes; their manifest
``source`` says where they came from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from p0gate.collect.spec import CollectArtifact, CollectionSpec, PrometheusSource, SqlSource
from p0gate.errors import EvidenceError, InputError, Location
from p0gate.evidence.dataset import Ask
from p0gate.evidence.samples import in_unit

if TYPE_CHECKING:
    from p0gate.policy import Pack


@dataclass(frozen=True)
class Window:
    """Where relative globs and paths are read from, and the time range to collect."""

    base: Path
    start: datetime
    end: datetime


def canonical(doc: Mapping[str, Any]) -> bytes:
    return (json.dumps(doc, sort_keys=True, separators=(",", ":"), allow_nan=False)
            + "\n").encode()


def entry(out: Path, artifact_id: str, kind: str, rel: str, source: str, *,
          now: datetime, unit: str | None = None) -> dict[str, Any]:
    """A sealed manifest entry for a file already written under ``out``."""
    data = (out / rel).read_bytes()
    found: dict[str, Any] = {"id": artifact_id, "kind": kind, "path": rel,
                             "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                             "collected_at": now.isoformat().replace("+00:00", "Z"),
                             "source": source}
    if unit:
        found["unit"] = unit
    return found


def collect(spec: CollectionSpec, out: Path, window: Window, asks: Mapping[str, Ask], *,
            now: datetime) -> list[dict[str, Any]]:
    """Fetch every artifact of the spec into ``out``; their manifest entries, in order."""
    out.mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, Any]] = []
    for artifact in spec.artifacts:
        if artifact.files is not None:
            from p0gate.collect.files import copy_files

            for aid, rel in copy_files(window.base, artifact.files, out, artifact.id):
                entries.append(entry(out, aid, artifact.kind, rel,
                                     f"copied from {window.base.name}/{rel.split('/', 1)[1]}",
                                     now=now))
            continue
        doc, summary = _fetch(spec, artifact, window, asks.get(artifact.id, Ask()))
        rel = f"{artifact.id}.json"
        (out / rel).write_bytes(canonical(doc))
        entries.append(entry(out, artifact.id, artifact.kind, rel, summary, now=now,
                             unit=artifact.unit))
    return entries


def _fetch(spec: CollectionSpec, artifact: CollectArtifact, window: Window,
           ask: Ask) -> tuple[dict[str, Any], str]:
    source = spec.sources[artifact.source or ""]
    if isinstance(source, SqlSource) and artifact.sql is not None:
        return _sql(source, artifact, window, ask)
    if isinstance(source, PrometheusSource):
        from p0gate.collect import prometheus as prom

        if artifact.histogram is not None:
            h = artifact.histogram
            doc = prom.fetch_histogram(source.url, h.metric, h.selector, window.start,
                                       window.end)
            return doc, f"Prometheus {source.url}: {h.metric}_bucket{h.selector}"
        if artifact.promql is not None:
            doc = prom.fetch_metrics(source.url, artifact.promql, window.start, window.end)
            return doc, f"Prometheus {source.url}: {len(artifact.promql)} instant queries"
    raise EvidenceError(f"artifact {artifact.id!r}: a {source.type} source cannot fetch "
                        "what it asks for")


def _sql(source: SqlSource, artifact: CollectArtifact, window: Window,
         ask: Ask) -> tuple[dict[str, Any], str]:
    from p0gate.collect.sql import collect_sql, safe_url
    from p0gate.evidence.histograms.source import column_unit

    assert artifact.sql is not None
    fetch = artifact.sql
    unit = column_unit(fetch.column, artifact.unit, f"artifact {artifact.id!r}")
    doc = collect_sql(source.url, source=fetch.from_, column=fetch.column, time=fetch.time,
                      thresholds=[in_unit(t, unit) for t in ask.thresholds],
                      stats=[s for s in ask.stats if s != "mean"],  # the sum is always there
                      start=window.start if fetch.time else None,
                      end=window.end if fetch.time else None, unit=unit)
    return doc, f"{safe_url(source.url)}: {doc['count']} rows of {fetch.from_}"


def write_manifest(out: Path, spec: CollectionSpec, entries: list[dict[str, Any]], *,
                   now: datetime) -> Path:
    """``out/manifest.yaml`` with the spec's metadata and the sealed entries."""
    import yaml

    meta: dict[str, Any] = {"system": spec.metadata.system, "version": spec.metadata.version}
    if spec.metadata.phase:
        meta["phase"] = spec.metadata.phase
    if spec.metadata.rollout_percent is not None:
        meta["rollout_percent"] = spec.metadata.rollout_percent
    meta["collected_at"] = now.isoformat().replace("+00:00", "Z")
    manifest = {"apiVersion": "p0gate/v1", "kind": "EvidenceBundle", "metadata": meta,
                "artifacts": entries}
    path = out / "manifest.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True))
    return path


def judging_gates(pack: Pack, spec: CollectionSpec, spec_path: Path) -> list[str]:
    """The gates that will judge the collected bundle: in a pack that declares its gates,
    those whose ``evidence`` is the spec's ``metadata.phase`` (invalid input when none is, or
    the phase is not named: no gate would accept the bundle); otherwise every gate."""
    lifecycle, phase = pack.lifecycle, spec.metadata.phase
    if not lifecycle.declared:
        return list(lifecycle.names)
    phases = list(dict.fromkeys(g.evidence for g in lifecycle.gates))
    gates = [g.name for g in lifecycle.gates if g.evidence == phase]
    if not gates:
        said = f"no gate of the pack judges {phase} evidence" if phase else \
            "the pack declares its gates: the bundle needs the phase of its evidence"
        raise InputError(said, location=Location(spec_path, field="metadata.phase"),
                         hint=f"set metadata.phase to one of: {', '.join(phases)}")
    return gates


def asks_from(pack: Pack, spec: CollectionSpec, gates: list[str]) -> dict[str, Ask]:
    """What the pack's controls need from each artifact of the spec (selected by its id or
    its kind) at the ``gates`` that will judge it, each gate's overrides applied."""
    from p0gate.checks.samples import asks_of

    checks = [item.control.check_for(gate) for item in pack.controls for gate in gates
              if gate in item.control.gate_names]
    asked = asks_of(checks)
    found: dict[str, Ask] = {}
    for artifact in spec.artifacts:
        for (selector, _, _), ask in asked.items():
            if selector in (artifact.id, artifact.kind):
                found[artifact.id] = found.get(artifact.id, Ask()) | ask
    return found


def run(spec_path: Path, pack: Pack, out: Path, window: Window, *,
        now: datetime) -> tuple[Path, list[str]]:
    """Collect what ``spec_path`` names into the new bundle ``out``; the manifest's path
    and notes (artifacts no control reads)."""
    from p0gate.collect.spec import load_spec

    spec = load_spec(spec_path)
    if window.end <= window.start:
        raise InputError("--to must be after --from", location=Location(spec_path))
    if (out / "manifest.yaml").exists() or (out / "manifest.yaml").is_symlink():
        raise InputError("the bundle folder already has a manifest.yaml", location=Location(out),
                         hint="collect into a new folder")
    gates = judging_gates(pack, spec, spec_path)
    asks = asks_from(pack, spec, gates)
    notes = [f"no control of the {', '.join(gates)} gate{'s' * (len(gates) > 1)} reads "
             f"{a.id!r}: only its count, min, max and sum were fetched"
             for a in spec.artifacts if a.sql is not None and a.id not in asks]
    entries = collect(spec, out, window, asks, now=now)
    return write_manifest(out, spec, entries, now=now), notes
