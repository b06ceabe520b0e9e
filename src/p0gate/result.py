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
from p0gate.outcome import AlertLevel, Decision, Outcome, Scalar, Severity


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
    phases: list[str] | None = None
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


class Tool(ResultModel):
    name: Literal["p0gate"] = "p0gate"
    version: str = __version__


class PackInfo(ResultModel):
    name: str
    digest: str
    trust: str | None = Field(None, description=(
        "digest of the trust store the sign-offs were checked against (None: none loaded)"))


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
    phase: str
    rollout_percent: int | None
    pack: PackInfo
    bundle: BundleInfo
    baseline: BundleInfo | None
    decision: Decision
    rollback: bool = Field(description="some control raised a rollback trigger")
    counts: dict[str, int]
    warnings: list[str]
    waivers: Waivers
    controls: list[ControlResult]
    ledger: LedgerHead | None = Field(None, description=(
        "the ledger's head before this decision was recorded (with --ledger)"))
    digest: str = ""

    def payload(self) -> dict[str, object]:
        """The document as plain JSON data, without its digest."""
        data: dict[str, object] = self.model_dump(mode="json", exclude={"digest"})
        return data

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
        """0 for GO, 1 for NO-GO."""
        return int(ExitCode.GO if self.decision is Decision.GO else ExitCode.NO_GO)


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
