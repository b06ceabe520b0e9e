"""signoff: a valid, approving sign-off from every role, by a trusted key, over this evidence.

For each role the check looks at the bundle's sign-off statements for that role. A statement
counts only when its signature verifies with a key the trust store binds to that role and
signer, and its subject is this bundle (system, version and evidence digest). With ``scope``
an approval counts only when its subject's scope lists it (so one statement approving GV-1 is
not taken for a review it does not name). A valid rejection fails the role whatever else was
signed and whatever its scope; a role without a valid approval fails.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from p0gate.checks.base import CheckParams, nothing_selected
from p0gate.checks.trust import verify_signoff
from p0gate.evidence import kinds_read_by
from p0gate.evidence.statement import SignOff, SignoffReader
from p0gate.outcome import CheckResult, Outcome, Values

if TYPE_CHECKING:
    from p0gate.checks.base import CheckContext
    from p0gate.checks.pack_files import PackFolder
    from p0gate.checks.trust import Trust
    from p0gate.evidence.bundle import Artifact
    from p0gate.result import SignoffRecord


class SignoffCheck(CheckParams):
    """Every role in ``roles`` approved this bundle's evidence with a trusted key."""

    type: Literal["signoff"]
    roles: list[str] = Field(
        min_length=1,
        description=("roles that must approve, e.g. [clinical-authority, security-authority]"),
    )
    scope: str | None = Field(None, min_length=1, description=(
        "count only approvals whose subject's scope lists this, e.g. CL-3"))

    accepts: ClassVar[tuple[str, ...]] = kinds_read_by(SignoffReader)
    UNITS: ClassVar[dict[str, str]] = {
        "roles_required": "roles",
        "roles_approved": "roles",
        "statements": "statements",
    }
    default_kind: ClassVar[str | None] = accepts[0]

    def pack_problems(self, pack: PackFolder) -> list[str]:
        """Loads the trust store (its own errors name trust.yaml and the line)."""
        pack.trust()
        return []

    def run(self, ctx: CheckContext) -> CheckResult:
        required: Values = {"roles": ", ".join(self.roles)}
        if self.scope is not None:
            required["scope"] = self.scope
        artifacts = ctx.select(self)
        if not artifacts:
            return nothing_selected(self, required)
        signoffs = [(a, ctx.read(a, SignOff)) for a in artifacts]
        verdicts = {role: _role(role, signoffs, ctx.files.trust, ctx, self.scope)
                    for role in self.roles}
        missing = {r: v for r, v in verdicts.items() if v is not None}
        measured: Values = {
            "roles_required": len(self.roles),
            "roles_approved": len(self.roles) - len(missing),
            "statements": len(artifacts),
        }
        if missing:
            detail = "; ".join(f"{role}: {why}" for role, why in missing.items())
            return CheckResult(
                Outcome.FAIL,
                f"{len(missing)} of {len(self.roles)} roles without a valid approval: {detail}",
                measured,
                required,
            )
        return CheckResult(Outcome.PASS, f"approved by {', '.join(self.roles)}", measured, required)


def _role(
    role: str, signoffs: list[tuple[Artifact, SignOff]], trust: Trust, ctx: CheckContext,
    scope: str | None,
) -> str | None:
    """None when the role approved (within ``scope``); otherwise why not."""
    problems: list[str] = []
    approved = False
    for artifact, signoff in signoffs:
        if signoff.statement.role != role:
            continue
        why = _invalid(signoff, trust, ctx)
        if why is not None:
            problems.append(f"{artifact.id} {why}")
        elif signoff.statement.decision == "reject":
            return f"{artifact.id}: rejected by {signoff.statement.signer}"
        elif scope is None or scope in (signoff.statement.subject.scope or ()):
            approved = True
        else:
            problems.append(f"{artifact.id} approves {_scope(signoff)}, not {scope}")
    if approved:
        return None
    return "; ".join(problems) if problems else "no sign-off statement"


def _scope(signoff: SignOff) -> str:
    listed = signoff.statement.subject.scope
    return ", ".join(listed) if listed else "no scope"


def _invalid(signoff: SignOff, trust: Trust, ctx: CheckContext) -> str | None:
    found = verify_signoff(signoff, trust)
    if found is not None:
        return found
    subject, meta = signoff.statement.subject, ctx.bundle.metadata
    if subject.evidence_digest != ctx.bundle.evidence_digest():
        return "is about other evidence (its evidence digest is not this bundle's)"
    if (subject.system, subject.version) != (meta.system, meta.version):
        return f"is about {subject.system} {subject.version}, not {meta.system} {meta.version}"
    if signoff.statement.signed_at > ctx.now:
        return "is signed after the evaluation time"
    return None


def bundle_signoffs(ctx: CheckContext) -> list[SignoffRecord]:
    """Every sign-off statement of the bundle, read and checked as this check checks one."""
    return [_record(artifact, ctx) for artifact in ctx.bundle.of_kind(SignoffCheck.accepts[0])]


def _record(artifact: Artifact, ctx: CheckContext) -> SignoffRecord:
    from p0gate.errors import EvidenceError
    from p0gate.result import SignoffRecord

    try:
        signoff = ctx.read(artifact, SignOff)
    except EvidenceError as exc:
        return SignoffRecord(artifact=artifact.id, role=None, signer=None, decision=None,
                             signed_at=None, key_fingerprint=None, verified=False,
                             problem=str(exc))
    try:
        problem = _invalid(signoff, ctx.files.trust, ctx)
    except LookupError:
        problem = "not checked: the pack loads no trust store (it has no signoff control)"
    statement = signoff.statement
    return SignoffRecord(
        artifact=artifact.id, role=statement.role, signer=statement.signer,
        decision=statement.decision, scope=list(statement.subject.scope or ()),
        signed_at=statement.signed_at.isoformat().replace("+00:00", "Z"),
        key_fingerprint=signoff.signature.key_sha256, verified=problem is None, problem=problem)
