"""Policy packs: pydantic models of the YAML files, loading and validation with line numbers.

A pack is a folder. Its top-level ``*.yaml`` files are ``PolicySet``s (and at most one
``Pack`` file with settings); ``trust/``, ``lexicons/`` and ``tests/`` hold other kinds. What
the checks read from the pack besides their parameters (lexicons, the trust store) is loaded
and validated with it, once: the ``Pack`` holds it as ``files``.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field

from p0gate.caching import CONTEXT_KEY
from p0gate.checks.base import CheckParams
from p0gate.checks.pack_files import PackFiles, PackFolder
from p0gate.controls import CONTROL_ID, Control, PolicySet, Reference
from p0gate.documents import Document, Model, validated
from p0gate.errors import InputError, Location
from p0gate.lifecycle import AuthorityDecl, EscalationStep, GateDecl, Lifecycle, declared, simple
from p0gate.outcome import Severity
from p0gate.yamlio import Json, LineMap, load_yaml

__all__ = ["CONTROL_ID", "Control", "Pack", "PackControl", "PolicySet", "Reference", "load_pack"]


class WaiverLimits(Model):
    max_days: dict[Severity, int] = Field(default_factory=dict, description=(
        "longest waiver allowed per control severity, in days"))


class PackMetadata(Model):
    name: str = Field(min_length=1)
    description: str | None = None


class PackSettings(Document):
    kind: Literal["Pack"]
    metadata: PackMetadata
    authorities: list[AuthorityDecl] | None = Field(None, description=(
        "who owns controls and signs; without it any authority name is accepted"))
    gates: list[GateDecl] | None = Field(None, min_length=1, description=(
        "the decision points in rollout order; without it every name controls list is a gate"))
    escalation: list[EscalationStep] = Field(default_factory=list, description=(
        "who is told, in order, when monitoring calls for a ROLLBACK"))
    waivers: WaiverLimits = Field(default_factory=WaiverLimits)


@dataclass(frozen=True)
class PackControl:
    control: Control
    authority: str
    source: Location


@dataclass(frozen=True)
class Pack:
    root: Path
    name: str
    settings: PackSettings | None
    controls: tuple[PackControl, ...]
    digest: str
    files: PackFiles
    lifecycle: Lifecycle
    notes: tuple[str, ...] = ()  # deprecations, printed by `validate`

    @property
    def authorities(self) -> tuple[AuthorityDecl, ...]:
        return tuple(self.settings.authorities or ()) if self.settings else ()

    @property
    def escalation(self) -> tuple[EscalationStep, ...]:
        return tuple(self.settings.escalation) if self.settings else ()

    def find(self, control_id: str) -> PackControl | None:
        return self._by_id.get(control_id)

    @cached_property
    def _by_id(self) -> dict[str, PackControl]:
        return {c.control.id: c for c in self.controls}

    def emergency_rollback(self, authority: str) -> bool:
        """An emergency alert on this authority's controls is a rollback trigger."""
        return any(a.id == authority and a.emergency_rollback for a in self.authorities)

    def gate(self, name: str) -> GateDecl:
        """The declared gate ``name``; an unknown name is invalid input listing the gates."""
        found = self.lifecycle.find(name)
        if found is None:
            where = self.settings_file if self.lifecycle.declared else Location(self.root)
            raise InputError(f"the pack has no gate {name!r}", location=where,
                             hint=f"use one of: {', '.join(self.lifecycle.names)}")
        return found

    @property
    def settings_file(self) -> Location:
        return Location(self.root / "pack.yaml")


@dataclass(frozen=True)
class _File:
    path: Path
    data: Json
    lines: LineMap

    def where(self, path: Sequence[str | int]) -> Location:
        return self.lines.locate(path, self.data)


def load_pack(root: Path, *, trust: Path | None = None, cache: Path | None = None) -> Pack:
    """Load and validate every top-level YAML file of a pack folder, and the files its checks
    read (the trust store from ``trust``, by default the pack's ``trust/`` folder). ``cache``
    is a folder where derived data (the CEL parser) may be kept between runs."""
    if not root.is_dir():
        raise InputError("policy pack folder not found", location=Location(root),
                         hint="pass --policies DIR, or run from a folder with policies/")
    files = sorted(p for p in root.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())
    settings: tuple[PackSettings, _File] | None = None
    sets: list[tuple[PolicySet, _File]] = []
    for path in files:
        data, lines = load_yaml(path)
        if _kind(data, lines) == "Pack":
            settings = (validated(PackSettings, data, lines), _File(path, data, lines))
        else:
            sets.append((_policy_set(data, lines, cache), _File(path, data, lines)))
    controls = [c for policy_set, file in sets for c in _controls(policy_set, file, settings)]
    if not controls:
        raise InputError("the pack has no controls", location=Location(root))
    _unique(controls)
    lifecycle = _lifecycle(settings, controls)
    loaded = _pack_files(PackFolder(root, trust), controls)
    name = settings[0].metadata.name if settings else root.resolve().name
    return Pack(root, name, settings[0] if settings else None, tuple(controls),
                pack_digest(root), loaded, lifecycle, tuple(_notes(controls)))


def _lifecycle(settings: tuple[PackSettings, _File] | None,
               controls: list[PackControl]) -> Lifecycle:
    """The declared gates (every control's gates checked against them), or the simple form."""
    if settings is None or settings[0].gates is None:
        lifecycle = simple(g for c in controls for g in c.control.gate_names)
    else:
        lifecycle = declared(settings[0].gates, settings[1].where)
    for item in controls:
        control = item.control
        named = [*control.gate_names, *(g for check in _checks(control) for g in check.gates())]
        for gate in named:
            if lifecycle.find(gate) is None:
                raise InputError(f"control {control.id} names undeclared gate {gate!r}",
                                 location=item.source,
                                 hint=f"declare it in pack.yaml `gates:` or use one of: "
                                 f"{', '.join(lifecycle.names)}")
    return lifecycle


def _notes(controls: list[PackControl]) -> list[str]:
    return [f"{c.source}: control {c.control.id}: `phases:` is the old name of `gates:`; "
            "rename it" for c in controls if c.control.phases is not None]


def _kind(data: Json, lines: LineMap) -> str:
    """The kind of a top-level pack file: Pack or PolicySet, anything else is refused."""
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind not in ("Pack", "PolicySet"):
        raise InputError(f"kind {kind!r} does not belong at the top of a pack",
                         location=lines.locate(["kind"], data),
                         hint="top-level files are PolicySet or Pack; lexicons, trust and "
                         "tests go in their sub-folders")
    return str(kind)


def _policy_set(data: Json, lines: LineMap, cache: Path | None) -> PolicySet:
    """The validated PolicySet; an error inside a control names the control."""
    try:
        return validated(PolicySet, data, lines, context={CONTEXT_KEY: cache})
    except InputError as error:
        steps = (error.location.field or "").split(".") if error.location else []
        controls = data.get("controls") if isinstance(data, dict) else None
        if steps[:1] == ["controls"] and len(steps) > 1 and steps[1].isdigit() \
                and isinstance(controls, list) and int(steps[1]) < len(controls):
            item = controls[int(steps[1])]
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                error.message = f"control {item['id']}: {error.message}"
        raise


def _controls(policy_set: PolicySet, file: _File,
              settings: tuple[PackSettings, _File] | None) -> list[PackControl]:
    """The set's controls, once its authority is known to pack.yaml (when it lists any)."""
    authority = policy_set.metadata.authority
    declared_ids = settings[0].authorities if settings else None
    if declared_ids is not None and authority not in {a.id for a in declared_ids}:
        raise InputError(f"policy set {policy_set.metadata.name!r} names undeclared authority "
                         f"{authority!r}", location=file.where(["metadata", "authority"]),
                         hint="declare it in pack.yaml `authorities:` or use one of: "
                         + ", ".join(a.id for a in declared_ids))
    return [PackControl(c, authority, file.where(["controls", i]))
            for i, c in enumerate(policy_set.controls)]


def _checks(control: Control) -> tuple[CheckParams, ...]:
    """The control's check and every gate's overridden variant of it."""
    return (control.check, *(control.check_for(g) for g in control.overrides))


def _unique(controls: list[PackControl]) -> None:
    first: dict[str, PackControl] = {}
    for item in controls:
        other = first.setdefault(item.control.id, item)
        if other is not item:
            raise InputError(f"duplicate control id {item.control.id!r} (first at "
                             f"{other.source})", location=item.source,
                             hint="control ids must be unique across the pack")


def _pack_files(folder: PackFolder, controls: list[PackControl]) -> PackFiles:
    """Load what every check reads from the pack, with each gate's overrides applied."""
    for item in controls:
        control = item.control
        for check in _checks(control):
            for problem in check.pack_problems(folder):
                raise InputError(f"control {control.id}: {problem}", location=item.source)
    return folder.files()


def pack_digest(root: Path) -> str:
    """sha256 over (relative path, file sha256) of every pack file outside tests/."""
    digest = hashlib.sha256()
    for path in sorted(_pack_files_outside_tests(root)):
        rel = path.relative_to(root).as_posix()
        if _ignored(rel):
            continue
        digest.update(f"{rel}\0{hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    return digest.hexdigest()


def _pack_files_outside_tests(root: Path) -> list[Path]:
    """Every file of the pack, without walking tests/ (its fixture bundles are large)."""
    found: list[Path] = []
    for folder, dirs, names in os.walk(root):
        if Path(folder) == root and "tests" in dirs:
            dirs.remove("tests")
        found.extend(Path(folder) / n for n in names if (Path(folder) / n).is_file())
    return found


def _ignored(rel: str) -> bool:
    return bool(re.search(r"(^|/)(\.|__pycache__)", rel))
