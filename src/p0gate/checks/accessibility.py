"""accessibility: no axe-core violation with a selected impact and WCAG tag.

Rules in axe's ``incomplete`` list need a person to look: they are reported as needing
review and never counted as passed. Automated rules cover only part of WCAG, so a WCAG AA
claim also needs a manual review control beside this one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from p0gate.checks.base import CheckParams, nothing_selected
from p0gate.evidence import kinds_read_by
from p0gate.evidence.axe import AxeReader, AxeResults, AxeRule, AxeScreen, Impact
from p0gate.outcome import CheckResult, Outcome, Values
from p0gate.textmatch import fold

if TYPE_CHECKING:
    from collections.abc import Iterable

    from p0gate.checks.base import CheckContext

SHOWN = 8


def _default_impacts() -> list[Impact]:
    return ["serious", "critical"]


DEFAULT_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")


@dataclass
class RuleHits:
    """One rule across screens: how many nodes on which screens."""

    rule: AxeRule
    nodes: int = 0
    screens: list[str] = field(default_factory=list)

    def describe(self) -> str:
        tags = ", ".join(self.rule.tags)
        where = (
            f"{self.nodes} node{'s' * (self.nodes != 1)} on {len(self.screens)} screen"
            f"{'s' * (len(self.screens) != 1)}"
        )
        return (
            f"{self.rule.id} ({self.rule.impact or 'no impact'}; {tags}; {where}): "
            f"{self.rule.help} {self.rule.helpUrl}".rstrip()
        )


class AccessibilityCheck(CheckParams):
    """No axe violation has an impact in ``impacts`` and a tag in ``tags``."""

    type: Literal["accessibility"]
    impacts: list[Impact] = Field(
        default_factory=_default_impacts,
        min_length=1,
        description=("violation impacts that fail the check (minor, moderate, serious, critical)"),
    )
    tags: list[str] = Field(
        default_factory=lambda: list(DEFAULT_TAGS),
        min_length=1,
        description=(
            "axe rule tags that count, e.g. wcag2a, wcag2aa, wcag21aa, wcag22aa, best-practice"
        ),
    )
    min_screens: int = Field(1, ge=1, description="at least this many screens were scanned")

    accepts: ClassVar[tuple[str, ...]] = kinds_read_by(AxeReader)
    UNITS: ClassVar[dict[str, str]] = {
        "screens": "screens",
        "min_screens": "screens",
        "violations": "violations",
        "violation_nodes": "elements",
        "needs_review": "rules",
    }
    default_kind: ClassVar[str | None] = accepts[0]

    def counts(self, rule: AxeRule) -> bool:
        """A violation with a selected tag and a selected impact, or no impact at all (an
        unknown impact never passes)."""
        impact_counts = rule.impact is None or rule.impact in self.impacts
        return impact_counts and any(t in self._tags() for t in rule.tags)

    def _tags(self) -> set[str]:
        return {fold(t) for t in self.tags}

    def run(self, ctx: CheckContext) -> CheckResult:
        required: Values = {
            "impacts": ", ".join(self.impacts),
            "tags": ", ".join(self.tags),
            "min_screens": self.min_screens,
            "violations": 0,
        }
        artifacts = ctx.select(self)
        if not artifacts:
            return nothing_selected(self, required)
        screens = [s for a in artifacts for s in ctx.read(a, AxeResults).screens]
        found = _collect((s.url, r) for s in screens for r in s.violations if self.counts(r))
        review = _collect((s.url, r) for s in screens for r in s.incomplete)
        measured: Values = {
            "screens": len(screens),
            "violations": len(found),
            "violation_nodes": sum(h.nodes for h in found),
            "needs_review": len(review),
        }
        return self._judge(found, review, screens, measured, required)

    def _judge(self, found: list[RuleHits], review: list[RuleHits], screens: list[AxeScreen],
               measured: Values, required: Values) -> CheckResult:
        note = _review_note(review)
        if found:
            shown = "; ".join(h.describe() for h in found[:SHOWN])
            more = f"; and {len(found) - SHOWN} more rules" if len(found) > SHOWN else ""
            return CheckResult(
                Outcome.FAIL,
                f"{len(found)} axe rules fail on {len(screens)} screens: {shown}{more}{note}",
                measured,
                required,
            )
        tested = [s for s in screens if s.tested(self._tags())]
        if len(tested) < self.min_screens:
            untested = len(screens) - len(tested)
            why = f" ({untested} ran no rule tagged {', '.join(self.tags)})" if untested else ""
            return CheckResult(
                Outcome.INCONCLUSIVE,
                f"{len(tested)} screens scanned for the selected tags, at least "
                f"{self.min_screens} needed{why}{note}",
                measured,
                required,
            )
        return CheckResult(
            Outcome.PASS,
            f"no {'/'.join(self.impacts)} axe violations on {len(screens)} screens{note}",
            measured,
            required,
        )


def _collect(pairs: Iterable[tuple[str, AxeRule]]) -> list[RuleHits]:
    hits: dict[str, RuleHits] = {}
    for url, rule in pairs:
        entry = hits.setdefault(rule.id, RuleHits(rule))
        entry.nodes += len(rule.nodes)
        entry.screens.append(url)
    return sorted(hits.values(), key=lambda h: (_RANK.get(h.rule.impact or "", 9), h.rule.id))


_RANK = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}


def _review_note(review: list[RuleHits]) -> str:
    if not review:
        return ""
    names = ", ".join(f"{h.rule.id} ({h.nodes} nodes)" for h in review[:SHOWN])
    rules = "rule needs" if len(review) == 1 else "rules need"
    return f"; {len(review)} axe {rules} manual review (incomplete, not counted as passed): {names}"
