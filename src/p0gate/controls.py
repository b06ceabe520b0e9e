"""Controls and policy sets: the pydantic models of a pack's ``PolicySet`` files.

A control is one requirement with one typed check (its union comes from the checks
registry), the gates it applies to and per-gate overrides of the check's parameters.
``phases:`` is accepted as the old name of ``gates:``; the pack loader notes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal, Union

from pydantic import Field, JsonValue, TypeAdapter, model_validator

from p0gate.checks import CHECKS
from p0gate.checks.base import CheckParams
from p0gate.documents import Document, Model
from p0gate.lifecycle import ROLE, Names
from p0gate.outcome import Severity
from p0gate.yamlio import worded

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
    waivable: bool | None = Field(None, description=(
        "false for NON-NEGOTIABLE requirements (default true; a rollback trigger never is)"))
    rollback_trigger: bool = Field(False, description=(
        "a fail or error of this control is a rollback trigger: NO-GO at every gate, ROLLBACK "
        "in monitor mode, never waivable"))
    gates: Names | None = Field(None, description="the gates this control applies to")
    phases: Names | None = Field(None, description="deprecated: the old name of `gates`")
    references: list[Reference] = Field(default_factory=list, description="where it comes from")
    remediation: str | None = Field(None, description="what to do when it does not pass")
    check: CheckSpec = Field(description="the typed rule, selected by `type`")
    overrides: dict[str, dict[str, JsonValue]] = Field(default_factory=dict, description=(
        "per-gate changes to the check's parameters, e.g. production-100: {max_rate: 0.0005}"))

    @model_validator(mode="after")
    def _consistent(self) -> Control:
        if (self.gates is None) == (self.phases is None):
            raise ValueError("give the gates this control applies to in `gates:` (or the old "
                             "name `phases:`), exactly once")
        if not self.gate_names:
            raise ValueError("gates must list at least one gate")
        if len(set(self.gate_names)) != len(self.gate_names):
            raise ValueError("gates lists a gate twice")
        if self.rollback_trigger and self.waivable:
            raise ValueError("a rollback trigger is never waivable: remove `waivable: true`")
        for gate in self.overrides:
            if gate not in self.gate_names:
                raise ValueError(f"overrides for {gate}, which is not in gates")
            self.check_for(gate)
        return self

    @property
    def gate_names(self) -> list[str]:
        return list(self.gates if self.gates is not None else self.phases or [])

    @property
    def is_waivable(self) -> bool:
        return not self.rollback_trigger and self.waivable is not False

    def check_for(self, gate: str) -> CheckParams:
        """The check with this gate's overrides applied (validated as a whole)."""
        changes = self.overrides.get(gate)
        if not changes:
            return self.check
        if "type" in changes:
            raise ValueError("overrides cannot change the check type")
        merged = {**self.check.model_dump(exclude_unset=True), **changes}
        return _CHECK.validate_python(merged)


class PolicySetMetadata(Model):
    name: str = Field(min_length=1, description="name of this policy set")
    authority: str = Field(pattern=ROLE, description=(
        "the authority that owns these controls: one of pack.yaml's `authorities`"))
    description: str | None = None


class PolicySet(Document):
    kind: Literal["PolicySet"]
    metadata: PolicySetMetadata
    controls: list[Control] = Field(min_length=1)
