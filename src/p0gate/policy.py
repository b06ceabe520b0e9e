"""Policy packs: pydantic models of the YAML files, loading and validation with line numbers.

A pack is a folder. Its top-level ``*.yaml`` files are ``PolicySet``s (and at most one
``Pack`` file with settings); ``trust/``, ``lexicons/`` and ``tests/`` hold other kinds. What
the checks read from the pack besides their parameters (lexicons, the trust store) is loaded
and validated with it, once: the ``Pack`` holds it as ``files``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, Union

from pydantic import Field, JsonValue, TypeAdapter, model_validator

from p0gate.caching import CONTEXT_KEY
from p0gate.checks import CHECKS
from p0gate.checks.base import CheckParams
from p0gate.checks.pack_files import PackFiles, PackFolder
from p0gate.documents import Document, Model, validated
from p0gate.errors import InputError, Location
from p0gate.outcome import Authority, Phase, Severity
from p0gate.yamlio import Json, LineMap, load_yaml, worded

if TYPE_CHECKING:
    CheckSpec = CheckParams
else:
    CheckSpec = Annotated[Union[CHECKS], Field(discriminator="type")]  # noqa: UP007

CONTROL_ID = worded(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$", (
    "a control id: capital letters and digits in two or more parts joined by hyphens, such "
    "as CR-1-LATENCY or PAY-2"))
_CHECK = TypeAdapter(CheckSpec)


class Reference(Model):
    framework: str = Field(min_length=1, description="e.g. p0-deployment-guide, hipaa, nist-800-53")
    id: str = Field(min_length=1, description="the requirement's id in that framework")


class Control(Model):
    """One requirement with one check."""

    id: str = Field(pattern=CONTROL_ID, description="unique in the pack, e.g. CRISIS-001")
    title: str = Field(min_length=1, description="one line a person can read")
    description: str | None = Field(None, description="longer explanation")
    severity: Severity = Field(description="critical | high | medium | low")
    blocking: bool = Field(description="a blocking control that does not pass makes NO-GO")
    waivable: bool = Field(True, description="false for NON-NEGOTIABLE requirements")
    rollback_trigger: bool = Field(False, description=(
        "p0gate extension: a fail of this control is flagged as a rollback trigger"))
    phases: list[Phase] = Field(min_length=1, description="the gates this control applies to")
    references: list[Reference] = Field(default_factory=list, description="where it comes from")
    remediation: str | None = Field(None, description="what to do when it does not pass")
    check: CheckSpec = Field(description="the typed rule, selected by `type`")
    overrides: dict[Phase, dict[str, JsonValue]] = Field(default_factory=dict, description=(
        "per-phase changes to the check's parameters, e.g. production: {max_rate: 0.0005}"))

    @model_validator(mode="after")
    def _consistent(self) -> Control:
        if len(set(self.phases)) != len(self.phases):
            raise ValueError("phases lists a phase twice")
        for phase in self.overrides:
            if phase not in self.phases:
                raise ValueError(f"overrides for {phase}, which is not in phases")
            self.check_for(phase)
        return self

    def check_for(self, phase: Phase) -> CheckParams:
        """The check with this phase's overrides applied (validated as a whole)."""
        changes = self.overrides.get(phase)
        if not changes:
            return self.check
        if "type" in changes:
            raise ValueError("overrides cannot change the check type")
        merged = {**self.check.model_dump(exclude_unset=True), **changes}
        return _CHECK.validate_python(merged)


class PolicySetMetadata(Model):
    name: str = Field(min_length=1, description="name of this policy set")
    authority: Authority = Field(description="the domain authority that owns these controls")
    description: str | None = None


class PolicySet(Document):
    kind: Literal["PolicySet"]
    metadata: PolicySetMetadata
    controls: list[Control] = Field(min_length=1)


class WaiverLimits(Model):
    max_days: dict[Severity, int] = Field(default_factory=dict, description=(
        "longest waiver allowed per control severity, in days"))


class PackMetadata(Model):
    name: str = Field(min_length=1)
    description: str | None = None


class AuthoritySpec(Model):
    """Who owns a group of controls and signs for it; reports and sign-off pages list them."""

    id: str = Field(min_length=1, description="the name policy sets give as `authority`")
    title: str = Field(min_length=1, description="as people read it, e.g. Security Authority")
    role: str = Field(min_length=1, description=(
        "the sign-off role of the trust store, e.g. security-authority; a role with the word "
        "`security` in it makes its controls security alerts in SARIF"))


class PackSettings(Document):
    kind: Literal["Pack"]
    metadata: PackMetadata
    authorities: list[AuthoritySpec] = Field(default_factory=list, description=(
        "the pack's authorities in the order reports list them"))
    waivers: WaiverLimits = Field(default_factory=WaiverLimits)


@dataclass(frozen=True)
class PackControl:
    control: Control
    authority: Authority
    source: Location


@dataclass(frozen=True)
class Pack:
    root: Path
    name: str
    settings: PackSettings | None
    controls: tuple[PackControl, ...]
    digest: str
    files: PackFiles

    def find(self, control_id: str) -> PackControl | None:
        return next((c for c in self.controls if c.control.id == control_id), None)


def load_pack(root: Path, *, trust: Path | None = None, cache: Path | None = None) -> Pack:
    """Load and validate every top-level YAML file of a pack folder, and the files its checks
    read (the trust store from ``trust``, by default the pack's ``trust/`` folder). ``cache``
    is a folder where derived data (the CEL parser) may be kept between runs."""
    if not root.is_dir():
        raise InputError("policy pack folder not found", location=Location(root),
                         hint="pass --policies DIR, or run from a folder with policies/")
    files = sorted(p for p in root.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())
    settings: PackSettings | None = None
    controls: list[PackControl] = []
    for path in files:
        data, lines = load_yaml(path)
        if _kind(data, lines) == "Pack":
            settings = validated(PackSettings, data, lines)
        else:
            controls.extend(_controls(_policy_set(data, lines, cache), data, lines))
    if not controls:
        raise InputError("the pack has no controls", location=Location(root))
    _unique(controls)
    loaded = _pack_files(PackFolder(root, trust), controls)
    name = settings.metadata.name if settings else root.resolve().name
    return Pack(root, name, settings, tuple(controls), pack_digest(root), loaded)


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


def _controls(policy_set: PolicySet, data: Json, lines: LineMap) -> list[PackControl]:
    return [PackControl(c, policy_set.metadata.authority, lines.locate(["controls", i], data))
            for i, c in enumerate(policy_set.controls)]


def _unique(controls: list[PackControl]) -> None:
    first: dict[str, PackControl] = {}
    for item in controls:
        other = first.setdefault(item.control.id, item)
        if other is not item:
            raise InputError(f"duplicate control id {item.control.id!r} (first at "
                             f"{other.source})", location=item.source,
                             hint="control ids must be unique across the pack")


def _pack_files(folder: PackFolder, controls: list[PackControl]) -> PackFiles:
    """Load what every check reads from the pack, with each phase's overrides applied."""
    for item in controls:
        control = item.control
        for check in (control.check, *(control.check_for(p) for p in control.overrides)):
            for problem in check.pack_problems(folder):
                raise InputError(f"control {control.id}: {problem}", location=item.source)
    return folder.files()


def pack_digest(root: Path) -> str:
    """sha256 over (relative path, file sha256) of every pack file outside tests/."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("tests/") or _ignored(rel):
            continue
        digest.update(f"{rel}\0{hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    return digest.hexdigest()


def _ignored(rel: str) -> bool:
    return bool(re.search(r"(^|/)(\.|__pycache__)", rel))
