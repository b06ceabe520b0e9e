"""What every check shares: parameter models, selection, comparators, alert levels.

A check is a frozen pydantic model of its parameters with one verb, ``run(ctx)``, that returns
a ``CheckResult``. It never prints and reads the clock only from ``ctx.now``. A check that
selects nothing is ``inconclusive``; an artifact that cannot be trusted raises
``EvidenceError`` and the evaluator turns it into ``error``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, ClassVar, TypeVar, cast

from pydantic import Field, model_validator

from p0gate.documents import Model
from p0gate.errors import EvidenceError
from p0gate.evidence import ArtifactKind
from p0gate.measures import Bound, Op
from p0gate.outcome import AlertLevel, CheckResult, Outcome, Values, fmt
from p0gate.yamlio import worded

if TYPE_CHECKING:
    from p0gate.checks.pack_files import PackFiles, PackFolder
    from p0gate.evidence.bundle import Artifact, Bundle
    from p0gate.evidence.dataset import Ask
    from p0gate.evidence.latency import Where
    from p0gate.evidence.store import EvidenceStore
    from p0gate.history import History
    from p0gate.measures import Figure

T = TypeVar("T")
Key = tuple[str, "str | None", "Where"]  # a latency ask: (artifact or kind, column, where)

STAT_PATTERN = worded(r"^(count|min|max|mean|p(100|[0-9]{1,2}(\.[0-9]+)?))$",
                      "a statistic: count, min, max, mean, or a percentile such as p50, p95, "
                      "p99.9")
Stat = Annotated[str, Field(pattern=STAT_PATTERN, description=(
    "count, min, max, mean, or pNN: a nearest-rank percentile such as p50, p95, p99.9"))]


class Levels(Model):
    """Alert thresholds: a value above a level raises that level."""

    warning: float | None = Field(None, description="above this: warning")
    critical: float | None = Field(None, description="above this: critical")
    emergency: float | None = Field(None, description="above this: emergency")

    def level(self, value: float) -> AlertLevel | None:
        for name, limit in (("emergency", self.emergency), ("critical", self.critical),
                            ("warning", self.warning)):
            if limit is not None and value > limit:
                return AlertLevel(name)
        return None


class Alerts(Levels):
    """Alert thresholds on a statistic of the samples."""

    on: Stat = Field("max", description="the statistic that is classified (default max)")


class CheckParams(Model):
    """Base of every check: selects its input by artifact id or by kind."""

    type: str
    artifact: str | None = Field(None, description="the id of the one artifact to read")
    kind: ArtifactKind | None = Field(None, description="read every artifact of this kind")

    accepts: ClassVar[tuple[str, ...]] = ()
    default_kind: ClassVar[str | None] = None
    # The unit of each measured or required key that is a quantity (none for words).
    UNITS: ClassVar[dict[str, str]] = {}

    @model_validator(mode="after")
    def _one_selector(self) -> CheckParams:
        if self.artifact is not None and self.kind is not None:
            raise ValueError("give either `artifact` or `kind`, not both")
        if self.artifact is None and self.kind is None and self.default_kind is None:
            raise ValueError("select the input with `artifact: ID` or `kind: KIND`")
        if self.kind is not None and self.accepts and self.kind not in self.accepts:
            raise ValueError(f"a {self.type} check reads {', '.join(self.accepts)}, "
                             f"not {self.kind}")
        return self

    def run(self, ctx: CheckContext) -> CheckResult:  # pragma: no cover - abstract
        raise TypeError(f"check type {self.type!r} has no run()")

    def alerting(self) -> bool:
        """The check classifies an alert level beside its outcome (it has ``alerts``)."""
        return isinstance(getattr(self, "alerts", None), Levels)

    def gates(self) -> list[str]:
        """The gate names this check refers to (the pack checks each is declared)."""
        return []

    def unit_of(self, key: str) -> str:
        """The unit of the measured or required value ``key`` (``path@artifact`` and
        ``stat@endpoint`` take the unit of ``path``/``stat``); "" when it is not a quantity."""
        return self.UNITS.get(key.split("@", 1)[0], "")

    def units_for(self, found: CheckResult) -> dict[str, str]:
        """The unit of each measured and required value of ``found`` that has one."""
        keys = [k for k, v in (*found.measured.items(), *found.required.items())
                if not isinstance(v, bool)]
        return {k: unit for k in keys if (unit := self.unit_of(k))}

    def bounds(self, found: CheckResult) -> list[Bound]:
        """The numeric requirements this check held measured values to, typed."""
        return []

    def figure(self, ctx: CheckContext, found: CheckResult) -> Figure | None:
        """What a report may draw for this result (a distribution, a regression), if any."""
        return None

    def pack_problems(self, pack: PackFolder) -> list[str]:
        """Load what the check reads from the pack (a lexicon, the trust store), once, when
        the pack loads; return the problems only visible with the pack at hand."""
        return []


_COMPARATORS: dict[str, tuple[str, object]] = {
    "lt": ("<", float.__lt__), "le": ("<=", float.__le__), "gt": (">", float.__gt__),
    "ge": (">=", float.__ge__), "eq": ("==", float.__eq__),
}


class Comparison(CheckParams):
    """Exactly one of ``lt``, ``le``, ``gt``, ``ge``, ``eq`` with a number."""

    lt: float | None = Field(None, description="passes when the value is below this")
    le: float | None = Field(None, description="passes when the value is at most this")
    gt: float | None = Field(None, description="passes when the value is above this")
    ge: float | None = Field(None, description="passes when the value is at least this")
    eq: float | None = Field(None, description="passes when the value equals this")

    @model_validator(mode="after")
    def _one_comparator(self) -> Comparison:
        given = [name for name in _COMPARATORS if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one comparator of lt, le, gt, ge, eq "
                             f"(found {', '.join(given) or 'none'})")
        bad = [name for name in given if not math.isfinite(getattr(self, name))]
        if bad:
            raise ValueError(f"comparator {bad[0]} must be a finite number")
        return self

    @property
    def comparator(self) -> tuple[str, float]:
        name = next(n for n in _COMPARATORS if getattr(self, n) is not None)
        return name, float(getattr(self, name))

    def requirement(self) -> str:
        name, limit = self.comparator
        return f"{_COMPARATORS[name][0]} {fmt(limit)}"

    def bounds(self, found: CheckResult) -> list[Bound]:
        """The comparator, on every required key it was written for."""
        name, limit = self.comparator
        return [Bound(key=key, op=cast(Op, name), value=limit, unit=self.unit_of(key))
                for key, text in found.required.items() if text == self.requirement()]

    def holds(self, value: float) -> bool:
        name, limit = self.comparator
        test = _COMPARATORS[name][1]
        return bool(test(float(value), limit))  # type: ignore[operator]


@dataclass(kw_only=True)
class CheckContext:
    """What a check reads: its bundle (and baseline) through the evidence store, the pack's
    files, the clock and the release's earlier decisions (``history``, when consulted).
    ``used`` lists the artifacts the check selected; ``asks`` what the pack's latency checks
    need of each artifact (``samples.asks_of``)."""

    store: EvidenceStore
    bundle: Bundle
    baseline: Bundle | None = None
    files: PackFiles
    now: datetime
    history: History | None = None
    used: list[Artifact] = field(default_factory=list)
    asks: Mapping[Key, Ask] = field(default_factory=dict)

    def select(self, params: CheckParams) -> list[Artifact]:
        """The artifacts a check selects: by id, by kind, or by the check's default kind."""
        if params.artifact is not None:
            found = self.bundle.find(params.artifact)
            chosen = [found] if found else []
        else:
            chosen = self.bundle.of_kind(params.kind or params.default_kind or "")
        for artifact in chosen:
            if params.accepts and artifact.kind not in params.accepts:
                raise EvidenceError(f"artifact {artifact.id!r} is {artifact.kind}; a "
                                    f"{params.type} check reads {', '.join(params.accepts)}")
            self.used.append(artifact)
        return chosen

    def verify(self, artifact: Artifact) -> Artifact:
        """The artifact, once its bytes are verified against the manifest (``EvidenceError``
        otherwise): a check that reads only manifest fields trusts them only then."""
        self.store.verify(self.bundle, artifact)
        return artifact

    def read(self, artifact: Artifact, as_type: type[T], *, baseline: bool = False) -> T:
        """The parsed artifact (from the baseline bundle when asked), of the expected type."""
        bundle = self.baseline if baseline else self.bundle
        if bundle is None:
            raise EvidenceError("no baseline bundle was given")
        value = self.store.read(bundle, artifact)
        if not isinstance(value, as_type):
            raise EvidenceError(f"artifact {artifact.id!r} ({artifact.kind}) cannot be read "
                                f"as {as_type.__name__}")
        return value


def nothing_selected(params: CheckParams, required: Values | None = None) -> CheckResult:
    """A check that selected nothing is never a pass."""
    what = (f"artifact {params.artifact!r}" if params.artifact
            else f"artifact of kind {params.kind or params.default_kind!r}")
    return CheckResult(Outcome.INCONCLUSIVE, f"no {what} in the bundle",
                       required=required or {})
