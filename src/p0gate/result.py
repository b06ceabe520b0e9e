"""The result document: models, canonical JSON and its digest.

The canonical form is JSON with sorted keys, no insignificant whitespace, UTF-8, no NaN.
``digest`` is the sha256 of the canonical document without its ``digest`` key, so the same
inputs and ``--now`` always give byte-identical output.
"""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from p0gate import __version__
from p0gate.documents import Document
from p0gate.errors import ExitCode, InputError
from p0gate.measures import Bound, Figure
from p0gate.outcome import AlertLevel, Decision, Outcome, Scalar, Severity, Verdict


class ResultModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EvidenceRef(ResultModel):
    id: str
    kind: str
    path: str
    sha256: str | None
    collected_at: str | None = None
    source: str | None = None


class ReferenceOut(ResultModel):
    framework: str
    id: str


class WaiverStatus(StrEnum):
    APPLIED = "applied"
    REFUSED = "refused"
    UNUSED = "unused"


class WaiverRecord(ResultModel):
    control: str
    reason: str
    approved_by: str
    role: str
    expires: str
    gates: list[str] | None = None
    status: WaiverStatus
    note: str = ""
    expiring_soon: bool = False


class ControlResult(ResultModel):
    id: str
    title: str
    authority: str
    severity: Severity
    blocking: bool
    waivable: bool
    outcome: Outcome
    measured: dict[str, Scalar]
    required: dict[str, Scalar]
    alert_level: AlertLevel | None
    rollback: bool
    message: str
    evidence: list[EvidenceRef]
    references: list[ReferenceOut]
    waiver: WaiverRecord | None = None
    remediation: str | None = None
    source: str = Field(description="policy file and line of the control")
    units: dict[str, str] = Field(default_factory=dict, description=(
        "the unit of each numeric measured and required value, by key"))
    bounds: list[Bound] = Field(default_factory=list, description=(
        "the numeric requirements, typed: key, comparator, value, unit"))
    figure: Figure | None = Field(None, description=(
        "what a report draws: a latency distribution or a baseline comparison"))


class Tool(ResultModel):
    name: Literal["p0gate"] = "p0gate"
    version: str = __version__


class AuthorityOut(ResultModel):
    """One of the pack's authorities (pack.yaml), as the reports and the gate use it."""

    id: str
    title: str
    role: str
    emergency_rollback: bool = Field(False, description=(
        "an emergency alert on a control of this authority is a rollback trigger"))


class PackInfo(ResultModel):
    name: str
    digest: str
    trust: str | None = Field(None, description=(
        "digest of the trust store the sign-offs were checked against (None: none loaded)"))
    authorities: list[AuthorityOut] = Field(default_factory=list, description=(
        "pack.yaml's authorities, in pack order: who owns the controls and signs"))


class AfterOut(ResultModel):
    """The gate's ``after:``: which earlier GO it needs, and whether it was found."""

    gate: str
    min_days: float
    met: bool
    message: str
    source: str | None = None


class EscalationOut(ResultModel):
    to: str
    when: str


class SignoffRecord(ResultModel):
    """A sign-off statement of the bundle, as read and checked against the trust store."""

    artifact: str
    role: str | None
    signer: str | None
    decision: Verdict | None
    scope: list[str] = Field(default_factory=list, description=(
        "the controls or reviews the statement is limited to (empty: the whole bundle)"))
    signed_at: str | None
    key_fingerprint: str | None = Field(description="sha256 of the raw Ed25519 public key")
    verified: bool = Field(description="signature, signer, role and subject all check out")
    problem: str | None = Field(None, description="why it is not verified")


class BundleInfo(ResultModel):
    metadata: dict[str, str | int | None]
    digest: str = Field(description="sha256 of manifest.yaml")
    evidence_digest: str = Field(description=(
        "sha256 over the bundle metadata and the non-signoff manifest entries"))


class LedgerHead(ResultModel):
    """The decision ledger's head when the evaluation ran: a signed report pins the history
    before it (a ledger rewritten or cut short no longer has this row with this hash)."""

    rows: int = Field(ge=0, description="rows in the ledger before this decision")
    last_hash: str = Field(pattern=r"^[0-9a-f]{64}$", description="hash of its last row")


class Waivers(ResultModel):
    applied: list[WaiverRecord] = Field(default_factory=list)
    refused: list[WaiverRecord] = Field(default_factory=list)
    unused: list[WaiverRecord] = Field(default_factory=list)


class Result(Document):
    """The evaluation result, written by p0gate (and read back from its JSON)."""

    model_config = ConfigDict(strict=False)

    kind: Literal["EvaluationResult"] = "EvaluationResult"
    tool: Tool = Field(default_factory=Tool)
    evaluated_at: str
    mode: Literal["evaluate", "monitor"] = "evaluate"
    gate: str
    rollout_percent: int | None
    pack: PackInfo
    bundle: BundleInfo
    baseline: BundleInfo | None
    decision: Decision
    rollback: bool = Field(description="some control raised a rollback trigger")
    after: AfterOut | None = None
    escalation: list[EscalationOut] = Field(default_factory=list, description=(
        "who to tell, in order, with a ROLLBACK"))
    counts: dict[str, int]
    warnings: list[str]
    waivers: Waivers
    controls: list[ControlResult]
    signoffs: list[SignoffRecord] = Field(default_factory=list, description=(
        "every sign-off statement in the bundle, verified or not"))
    ledger: LedgerHead | None = Field(None, description=(
        "the ledger's head before this decision was recorded (with --ledger)"))
    max_age_seconds: float | None = Field(None, gt=0, description=(
        "monitor mode: the oldest trigger evidence accepted (--max-age), in seconds; "
        "re-evaluations use it"))
    digest: str = ""

    def payload(self) -> dict[str, object]:
        """The document as plain JSON data, without its digest; the keys added after the
        first format (``EXTENSIONS``) only when they hold something, so a result written
        before them keeps its digest when it is read back."""
        data: dict[str, object] = self.model_dump(mode="json", exclude={"digest"})
        return _without_empty_extensions(data)

    def sealed(self) -> Result:
        """This result with ``digest`` set from its canonical form."""
        return self.model_copy(update={"digest": digest_of(self.payload())})

    def headline(self) -> str:
        """One plain line: decision, counts, digest, rollback."""
        counts = ", ".join(f"{n} {k}" for k, n in self.counts.items() if n)
        line = f"{self.decision}  ({counts}) digest {self.digest[:16]}…"
        return line + ("  ROLLBACK TRIGGERED" if self.rollback else "")

    def canonical(self) -> bytes:
        return canonical_json({**self.payload(), "digest": self.digest})

    @property
    def exit_code(self) -> int:
        """0 for GO and OK, 1 for NO-GO, 5 for ROLLBACK."""
        return int(_EXIT[self.decision])


_EXIT = {Decision.GO: ExitCode.GO, Decision.OK: ExitCode.GO, Decision.NO_GO: ExitCode.NO_GO,
         Decision.ROLLBACK: ExitCode.ROLLBACK}


# Keys added to the result after its first format: (path of the owning object, key).
EXTENSIONS = ((("signoffs", "max_age_seconds"), ()), (("authorities",), ("pack",)),
              (("units", "bounds", "figure"), ("controls", "*")))


def _without_empty_extensions(data: dict[str, object]) -> dict[str, object]:
    for keys, path in EXTENSIONS:
        for owner in _objects(data, path):
            for key in keys:
                if owner.get(key) in ({}, [], None):
                    owner.pop(key, None)
    return data


def _objects(data: object, path: tuple[str, ...]) -> list[dict[str, object]]:
    """The objects at ``path`` (``*``: every item of a list)."""
    if not path:
        return [data] if isinstance(data, dict) else []
    step, rest = path[0], path[1:]
    if step == "*":
        return [o for item in data for o in _objects(item, rest)] if isinstance(data, list) \
            else []
    return _objects(data.get(step), rest) if isinstance(data, dict) else []


def canonical_json(data: object) -> bytes:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)
    return text.encode("utf-8")


def digest_of(payload: dict[str, object]) -> str:
    return hashlib.sha256(canonical_json(payload)).hexdigest()


MAX_INT = 2**63


def _strict_json(raw: bytes) -> object:
    """JSON as p0gate writes it: no NaN or Infinity, no number beyond float range, no integer
    beyond 64 bits, no repeated key (parsers disagree on which copy wins)."""

    def refuse(token: str) -> float:
        raise ValueError(f"{token} is not a JSON number")

    def finite(token: str) -> float:
        value = float(token)
        if value in (float("inf"), float("-inf")):
            raise ValueError(f"the number {token[:40]} is beyond float range")
        return value

    def bounded(token: str) -> int:
        if len(token) > 20 or abs(value := int(token)) >= MAX_INT:
            raise ValueError(f"the integer {token[:40]}… is beyond 64 bits")
        return value

    def unique(pairs: list[tuple[str, object]]) -> dict[str, object]:
        if len({k for k, _ in pairs}) != len(pairs):
            raise ValueError("a key is repeated in an object")
        return dict(pairs)

    return json.loads(raw, parse_constant=refuse, parse_float=finite, parse_int=bounded,
                      object_pairs_hook=unique)


def load_result(raw: bytes, *, name: str = "result") -> Result:
    """Parse a stored result (strict JSON, see ``_strict_json``) and check that its digest
    matches its content; anything else is invalid input naming ``name``."""
    try:
        data = _strict_json(raw)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError too
        raise InputError(f"{name}: not a p0gate result (not valid JSON: {str(exc)[:160]})") \
            from None
    try:
        result = Result.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"{name}: not a p0gate result ({where}: {first['msg']})") from None
    if digest_of(result.payload()) != result.digest:
        raise InputError(f"{name}: the result's digest does not match its content (edited?)")
    return result
