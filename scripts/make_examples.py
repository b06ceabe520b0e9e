"""Regenerate the example bundles (evidence/examples/) and the pack's fixture bundles
(policies/tests/bundles/). Deterministic: the same code writes the same bytes.

    .venv/bin/python scripts/make_examples.py
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evidence_gen import (
    ALL,
    Art,
    Spec,
    clinical,
    compliance,
    core,
    governance,
    security,
    write_bundle,
)

ROOT = Path(__file__).resolve().parent.parent
MODULES = (core, clinical)  # one line per domain module
MODULES += (security, compliance)
POST_MODULES = (governance,)  # made after the others: they see the built artifacts

BETA = datetime(2025, 9, 27, 12, 0, tzinfo=UTC)
STAGING = datetime(2025, 10, 12, 12, 0, tzinfo=UTC)
PRODUCTION = datetime(2025, 11, 9, 12, 0, tzinfo=UTC)

EXAMPLES = (
    Spec("beta-go", "beta", "1.4.2", BETA),
    Spec("beta-no-go", "beta", "1.4.3", BETA,
         frozenset({"crisis-latency", "safety-incidents", "sync"}), seed=11),
    Spec("staging-go", "staging", "1.5.0", STAGING, seed=21),
    Spec("staging-no-go", "staging", "1.5.1", STAGING,
         frozenset({"crisis-load", "regression", "metrics", "signoff-clinical"}), seed=23),
)
FIXTURES = (
    Spec("beta-pass", "beta", "9.0.0", BETA, seed=101),
    Spec("beta-fail", "beta", "9.0.1", BETA, frozenset({ALL}), seed=102),
    Spec("staging-pass", "staging", "9.1.0", STAGING, seed=103),
    Spec("staging-fail", "staging", "9.1.1", STAGING, frozenset({ALL}), seed=104),
    Spec("production-pass", "production", "9.2.0", PRODUCTION, seed=105, rollout_percent=25),
    Spec("production-fail", "production", "9.2.1", PRODUCTION, frozenset({ALL}), seed=106,
         rollout_percent=25),
)


def build(spec: Spec, folder: Path) -> list[Art]:
    arts = [art for module in MODULES for art in module.artifacts(spec)]
    return arts + [art for module in POST_MODULES
                   for art in module.post_artifacts(spec, arts, folder)]


def main() -> None:
    governance.write_keys()
    examples, fixtures = ROOT / "evidence" / "examples", ROOT / "policies" / "tests" / "bundles"
    for spec in EXAMPLES:
        write_bundle(examples / spec.name, spec, build(spec, examples))
    for spec in FIXTURES:
        write_bundle(fixtures / spec.name, spec, build(spec, fixtures))
    print(f"wrote {len(EXAMPLES)} example and {len(FIXTURES)} fixture bundles")


if __name__ == "__main__":
    main()
