"""Write tests/data/golden/result.json: a small synthetic result with every outcome.

It starts from a real evaluation of evidence/examples/no-go/beta (run from the repo root):

    .venv/bin/p0gate evaluate --evidence evidence/examples/no-go/beta --gate beta \
        --now 2025-09-20T00:00:00Z --report json=/tmp/no-go.json
    .venv/bin/python tests/data/golden/make_result.py /tmp/no-go.json

and turns a few controls into the outcomes the example lacks (waived, error, inconclusive),
adds HIPAA references and a waiver, then reseals the digest.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from p0gate.result import Result, load_result

KEEP = (
    "CR-1-LATENCY",
    "CR-4-EMERGENCY-ACCESS",
    "CR-5-988",
    "CR-2-MAX",
    "CR-10-LOAD",
    "PF-1-SYNC",
    "PF-2-FPS",
    "US-3-MONITORING-CRISIS",
)
WAIVER = {
    "control": "PF-1-SYNC",
    "reason": "Sync p95 re-measured after the CDN fix | pending",
    "approved_by": "Jane Roe",
    "role": "compliance-authority",
    "expires": "2025-10-02",
    "gates": ["beta"],
    "status": "applied",
    "expiring_soon": True,
}
HIPAA = {
    "CR-4-EMERGENCY-ACCESS": ["164.312(a)(2)(ii)"],
    "CR-5-988": ["164.312(b)"],
    "PF-1-SYNC": ["164.312(e)(2)(ii)", "164.312(e)(1)"],
}


def change(control: dict[str, object]) -> dict[str, object]:
    cid = control["id"]
    refs = list(control["references"])  # type: ignore[call-overload]
    refs += [{"framework": "hipaa", "id": spec} for spec in HIPAA.get(str(cid), [])]
    control["references"] = refs
    if cid == "PF-1-SYNC":
        control.update(outcome="waived", waiver=WAIVER)
    elif cid == "CR-5-988":
        control.update(
            outcome="error",
            measured={},
            message="crisis-tests: sha256 mismatch "
            "(expected 9b1f…, found 77aa…): re-seal or re-collect the artifact",
        )
    elif cid == "US-3-MONITORING-CRISIS":
        control.update(outcome="inconclusive", measured={}, message="no artifact 'monitoring-probes' in the bundle")
    shown = {**control["measured"], **control["required"]}  # type: ignore[dict-item]
    control["units"] = {k: u for k, u in control.get("units", {}).items()  # type: ignore[attr-defined]
                        if k in shown}
    return control


def main(source: Path) -> None:
    data = load_result(source.read_bytes()).payload()
    controls = [change(c) for c in data["controls"] if c["id"] in KEEP]  # type: ignore[attr-defined]
    counts = dict.fromkeys(("error", "fail", "inconclusive", "not_applicable", "pass", "waived"), 0)
    for c in controls:
        counts[str(c["outcome"])] += 1
    data.update(
        controls=controls,
        counts=counts,
        decision="NO-GO",
        waivers={**data["waivers"], "applied": [WAIVER]},
    )  # type: ignore[dict-item]
    result = Result.model_validate(data).sealed()
    out = Path(__file__).with_name("result.json")
    out.write_bytes(json.dumps(json.loads(result.canonical()), indent=2,
                               ensure_ascii=False).encode() + b"\n")
    print(f"wrote {out} ({len(controls)} controls, digest {result.digest[:16]})")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
