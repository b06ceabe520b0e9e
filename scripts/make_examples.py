"""Regenerate the example bundles (evidence/examples/), the pack's fixture bundles
(policies/tests/bundles/) and its per-gate fixture cases (policies/tests/*.yaml).
Deterministic: the same code writes the same bytes.

    .venv/bin/python scripts/make_examples.py
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evidence_gen import (
    ALL,
    Spec,
    clinical,
    compliance,
    core,
    governance,
    rollback,
    security,
    write_bundle,
)
from evidence_gen.cases import write_cases

ROOT = Path(__file__).resolve().parent.parent
MODULES = (core, clinical)  # one line per domain module
MODULES += (security, compliance, rollback)


def t(day: str, hour: str = "12:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{hour}:00").replace(tzinfo=UTC)


# When the evidence each gate judges was collected (fixtures; the lifecycle example below).
COLLECTED = {
    "beta": t("2025-09-19"), "staging": t("2025-09-27"), "production-25": t("2025-10-12"),
    "production-50": t("2025-10-20"), "production-75": t("2025-10-27"),
    "production-100": t("2025-11-03"), "complete": t("2025-11-10"),
    "post-rollback": t("2025-11-15", "00:00"),
}
LABEL = {  # fixture bundles are named by the evidence they hold
    "beta": "pre-release", "staging": "beta", "production-25": "staging",
    "production-50": "production-25", "production-75": "production-50",
    "production-100": "production-75", "complete": "production-100",
    "post-rollback": "post-rollback",
}
FIXTURES = tuple(
    spec
    for i, (gate, when) in enumerate(COLLECTED.items())
    for spec in (Spec(f"{LABEL[gate]}-pass", gate, "9.0.0", when, seed=101 + 2 * i),
                 Spec(f"{LABEL[gate]}-fail", gate, "9.0.1", when, frozenset({ALL}),
                      seed=102 + 2 * i))
)
P25 = COLLECTED["production-50"]  # evidence of the 25% step
EDGES = (
    Spec("edge-spike", "production-50", "9.0.0", P25, seed=131, crisis_samples=12_000,
         extra={"spike": "243"}),
    Spec("edge-200ms", "production-50", "9.0.0", P25, seed=133, crisis_samples=12_000,
         extra={"spike": "200"}),
    Spec("edge-10x-beta", "staging", "9.0.0", COLLECTED["staging"], seed=135,
         extra={"10x-tail": "yes", "keep": "crisis-latency-10x"}),
    Spec("edge-10x-staging", "production-25", "9.0.0", COLLECTED["production-25"], seed=137,
         extra={"10x-tail": "yes", "hipaa-docs": "96",
                "keep": "crisis-latency-10x,compliance-metrics"}),
    Spec("edge-incidents", "production-50", "9.0.0", P25, seed=139,
         extra={"safety": "high", "security": "untagged", "keep": "incidents"}),
    Spec("edge-variants", "production-50", "9.0.0", P25, seed=141,
         extra={"crisis-hours": "30", "ux-age-days": "45", "probes": "crisis-only",
                "keep": "crisis-latency,ux-mental-health-study,monitoring-probes"}),
    Spec("edge-scoped-approval", "beta", "9.0.0", COLLECTED["beta"], seed=143,
         extra={"clinical-scope": "GV-1,CL-1", "keep": "signoff"}),
    Spec("edge-scoped-rejection", "beta", "9.0.0", COLLECTED["beta"], seed=145,
         failing=frozenset({"signoff-clinical"}),
         extra={"clinical-scope": "CL-3", "keep": "signoff"}),
    Spec("edge-90d", "complete", "9.0.0", COLLECTED["complete"], seed=147,
         extra={"feedback-90d": "4.75"}),
    Spec("edge-safety-monitor", "production-50", "9.0.0", t("2025-10-20", "18:20"), seed=149,
         monitor=True, extra={"safety": "high"}),
)

# One release, 1.6.0, through every gate; monitoring at 50%; a trigger at 100%; the rollback.
LIFECYCLE = (
    Spec("01-pre-release", "beta", "1.6.0", t("2025-09-19"), seed=201),
    Spec("02-beta", "staging", "1.6.0", t("2025-09-27"), seed=202),
    Spec("03-staging", "production-25", "1.6.0", t("2025-10-12"), seed=203),
    Spec("04-production-25", "production-50", "1.6.0", t("2025-10-20"), seed=204),
    Spec("05-production-50", "production-75", "1.6.0", t("2025-10-27"), seed=205),
    Spec("05m-production-50-monitor", "production-75", "1.6.0", t("2025-10-27", "18:20"),
         seed=215, monitor=True),
    Spec("06-production-75", "production-100", "1.6.0", t("2025-11-03"), seed=206),
    Spec("07-production-100", "complete", "1.6.0", t("2025-11-10"), seed=207,
         extra={"no-90d": "yes"}),
    Spec("08-production-100-incident", "complete", "1.6.0", t("2025-11-14", "08:00"),
         seed=208, monitor=True, extra={"spike": "243"}),
    Spec("09-post-rollback", "post-rollback", "1.6.0", t("2025-11-15", "00:00"), seed=209,
         extra={"omit": "rollback-root-cause"}),
)
NO_GO = (  # kept for the waiver and report demos
    Spec("beta", "beta", "1.6.1", t("2025-09-19"), frozenset({"crisis-latency", "sync"}),
         seed=11),
    Spec("production-25", "production-25", "1.6.2", t("2025-10-12"),
         frozenset({"crisis-load", "signoff-clinical"}), seed=23),
)


def build(spec: Spec, folder: Path) -> None:
    """Write the bundle, then sign what p0gate computes as its evidence digest."""
    arts = [art for module in MODULES for art in module.artifacts(spec)]
    keep = [k for k in spec.extra.get("keep", "").split(",") if k]
    if keep:  # a small edge-case bundle: only what its controls read
        arts = [a for a in arts if a.id in keep]
    write_bundle(folder, spec, arts)
    signed = governance.signoffs(spec, folder)
    if signed and (not keep or "signoff" in keep):
        write_bundle(folder, spec, arts + signed)


def main() -> None:
    governance.write_keys()
    examples, fixtures = ROOT / "evidence" / "examples", ROOT / "policies" / "tests" / "bundles"
    for spec in LIFECYCLE:
        build(spec, examples / "lifecycle" / spec.name)
    for spec in NO_GO:
        build(spec, examples / "no-go" / spec.name)
    for spec in (*FIXTURES, *EDGES):
        build(spec, fixtures / spec.name)
    cases = write_cases(ROOT / "policies", FIXTURES, EDGES, now=_now)
    print(f"wrote {len(LIFECYCLE) + len(NO_GO)} example and {len(FIXTURES) + len(EDGES)} "
          f"fixture bundles, {cases} fixture cases")


def _now(spec: Spec) -> datetime:
    """The evaluation time of a fixture: half a day after its evidence was collected."""
    return spec.collected_at + timedelta(hours=12)


if __name__ == "__main__":
    main()
