"""`p0gate verify`: is a signed PDF report intact, attributable and true to its result?

The questions, each a problem when the answer is no: the signature is intact, valid and
covers the whole file (``p0gate.signature``); the signer chains to the trust anchor, which
must be given (``--trust-cert``) unless the caller skips trust explicitly; the embedded
result's digest equals the one printed in the report, and its decision, counts and flags
follow from its own controls under the decision rules (a gate's, with its ``after:``, or
monitor mode's); and, with the evidence and the policies, a re-evaluation at the embedded
gate, mode and time (and a monitor result's recorded ``--max-age``) gives the same digest,
or, monitoring, can still vouch for every trigger. When it does not, ``differences`` names what
differs: an artifact's digest, the pack, an ``after:`` met in one history only, or a flag of
the original evaluation that this one lacked (waivers, baseline, trust store, ledger).
Without the evidence the result is as true as its signer is trustworthy, and ``notes`` says
so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from p0gate.errors import InputError, UnvouchedError
from p0gate.formats.pdf import ATTACHMENT
from p0gate.gate import contradictions
from p0gate.result import Result, load_result
from p0gate.signature import SignatureCheck, check_signature

if TYPE_CHECKING:
    from p0gate.runner import Inputs

PRINTED = re.compile(r"Result digest:?\s*((?:[0-9a-f]\s*){64})")
NO_ANCHOR = ("no trust anchor: anyone can make a valid signature, so give --trust-cert PEM "
             "(or --insecure-skip-trust to check the file's integrity only)")
SIGNER_ALONE = ("not re-evaluated: trust in this decision rests on the signer alone; give "
                "--evidence and --policies (with the original --baseline, --waivers, --trust) "
                "to re-derive it from the evidence")
UNANCHORED = ("trust not checked (--insecure-skip-trust): the file is intact, but anyone could "
              "have signed it")


@dataclass(frozen=True)
class Verification:
    signature: SignatureCheck
    anchored: bool  # the signer was checked against a trust anchor
    result: Result | None
    printed: str | None
    reevaluated: Result | None
    problems: tuple[str, ...]
    differences: tuple[str, ...] = ()
    unvouched: bool = False  # the re-evaluation was refused: it could not vouch

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def notes(self) -> tuple[str, ...]:
        """What a verified report still leaves to the reader's trust."""
        found = []
        if self.signature.ok and not self.anchored:
            found.append(UNANCHORED)
        if self.result is not None and self.reevaluated is None and not self.unvouched:
            found.append(SIGNER_ALONE)
        return tuple(found)


def verify_report(
    path: Path, *, trust_cert: Path | None = None, skip_trust: bool = False,
    inputs: Inputs | None = None, cache: Path | None = None,
) -> Verification:
    """Check a PDF report; problems are collected, unreadable input raises ``InputError``.

    With ``inputs`` the evaluation is repeated and must give the embedded result's digest."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the report ({exc.strerror})") from None
    signature = check_signature(data, trust_cert=trust_cert)
    problems = signature.problems()
    if trust_cert is None and not skip_trust:
        problems.append(NO_ANCHOR)
    result, printed = _embedded(data, path, problems, broken=not signature.intact)
    if result is not None:
        problems.extend(f"the embedded result disagrees with itself: {c}"
                        for c in contradictions(result))
    again, differences = None, []
    if result is not None and inputs is not None:
        try:
            again = reevaluate(result, inputs, cache=cache)
        except UnvouchedError as exc:
            problems.append(_unvouched(result, exc))
            return Verification(signature, trust_cert is not None, result, printed, None,
                                tuple(problems), unvouched=True)
        if again.digest != result.digest:
            differences = explain(result, again)
            problems.append(f"re-evaluating the evidence gives digest {again.digest}, the "
                            f"report says {result.digest}")
    return Verification(signature, trust_cert is not None, result, printed, again,
                        tuple(problems), tuple(differences))


def _embedded(data: bytes, path: Path, problems: list[str],
              *, broken: bool) -> tuple[Result | None, str | None]:
    """The embedded result and the digest printed on the cover. A file whose signature
    is already broken may not parse any more: that is one more problem, not an error."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(BytesIO(data))
        attached = reader.attachments.get(ATTACHMENT)
        cover = reader.pages[0].extract_text() if reader.pages else ""
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        if broken:
            problems.append(f"the embedded result cannot be read ({type(exc).__name__})")
            return None, None
        raise InputError(f"{path}: not a readable PDF ({exc})") from None
    match = PRINTED.search(cover)
    printed = re.sub(r"\s", "", match.group(1)) if match else None
    if not attached:
        problems.append(f"no embedded {ATTACHMENT}: not a p0gate PDF report")
        return None, printed
    try:
        result = load_result(attached[0], name=f"{path} ({ATTACHMENT})")
    except InputError as exc:
        problems.append(str(exc))
        return None, printed
    if printed != result.digest:
        problems.append(
            f"the printed digest ({printed or 'not found'}) differs from the "
            f"embedded result's ({result.digest})"
        )
    return result, printed


def reevaluate(result: Result, inputs: Inputs, *, cache: Path | None = None) -> Result:
    """A fresh evaluation at the embedded result's gate, mode and time (and, monitoring,
    its ``--max-age``), recording the same ledger head (the ledger is an input the evidence
    does not hold). ``UnvouchedError`` when monitoring at that max-age cannot vouch."""
    from p0gate.runner import evaluate_paths

    when = datetime.fromisoformat(result.evaluated_at.replace("Z", "+00:00"))
    return evaluate_paths(inputs, gate=result.gate, now=when, cache=cache, mode=result.mode,
                          max_age=max_age_of(result), ledger=result.ledger)


def max_age_of(result: Result) -> timedelta | None:
    seconds = result.max_age_seconds
    return None if seconds is None else timedelta(seconds=seconds)


def _unvouched(result: Result, exc: UnvouchedError) -> str:
    return (f"re-evaluating in monitor mode with the report's --max-age "
            f"({max_age_of(result)}) cannot vouch for every trigger, yet the report says "
            f"{result.decision}: {exc} (was its max-age or its evidence changed?)")


def explain(report: Result, again: Result) -> list[str]:
    """What differs between the report's result and a re-evaluation, most telling first."""
    found = [*_flags(report, again), *_after(report, again), *_artifacts(report, again)]
    if report.pack.digest != again.pack.digest:
        found.append(f"the policy pack differs (digest {report.pack.digest[:12]}… in the "
                     f"report, {again.pack.digest[:12]}… now): give the pack it was made with")
    if report.tool.version != again.tool.version:
        found.append(f"made by p0gate {report.tool.version}, re-evaluated by "
                     f"{again.tool.version}")
    found.extend(_outcomes(report, again))
    found.extend(_monitoring(report, again))
    return found or [f"the results differ in: {', '.join(_keys(report, again)) or 'digest'}"]


def _flags(report: Result, again: Result) -> list[str]:
    """The evaluation's inputs besides the bundle and pack: baseline, waivers, trust."""
    found = []
    before, now = report.baseline, again.baseline
    if (before is None) != (now is None):
        found.append("the report was evaluated " + ("with --baseline, this re-evaluation "
                     "without" if before else "without --baseline, this re-evaluation with"))
    elif before and now and before.digest != now.digest:
        found.append(f"another baseline: {before.digest[:12]}… in the report, "
                     f"{now.digest[:12]}… now")
    if _waiver_records(report) != _waiver_records(again):
        found.append(f"the waivers differ: the report had {_waiver_summary(report)}, this "
                     f"re-evaluation {_waiver_summary(again)} (give the original --waivers)")
    if report.pack.trust != again.pack.trust:
        found.append("the sign-offs were checked against another trust store (give the "
                     "original --trust)" if report.pack.trust and again.pack.trust else
                     f"the report was evaluated {'with' if report.pack.trust else 'without'} "
                     "a trust store, this re-evaluation "
                     f"{'with' if again.pack.trust else 'without'} (--trust)")
    return found


def _after(report: Result, again: Result) -> list[str]:
    """The gate's ``after:`` looked up in another history (another or a changed ledger)."""
    before, now = report.after, again.after
    if before is None or now is None or before.met == now.met:
        return []
    return [f"after: {before.gate} was {'met' if before.met else 'not met'} in the report "
            f"({before.message}), {'met' if now.met else 'not met'} now ({now.message}): give "
            "the --ledger the report was evaluated with"]


def _waiver_records(result: Result) -> list[tuple[str, str, str]]:
    w = result.waivers
    return sorted((r.control, r.expires, str(r.status))
                  for r in (*w.applied, *w.refused, *w.unused))


def _waiver_summary(result: Result) -> str:
    w = result.waivers
    if not (w.applied or w.refused or w.unused):
        return "none"
    return f"{len(w.applied)} applied, {len(w.refused)} refused, {len(w.unused)} unused"


def _artifacts(report: Result, again: Result) -> list[str]:
    """Artifacts whose digest (or presence) differs between the two evaluations."""
    before, now = _digests(report), _digests(again)
    found = [f"artifact {aid}: sha256 {str(before.get(aid))[:12]}… in the report, "
             f"{str(now.get(aid))[:12]}… in this bundle"
             for aid in sorted(before.keys() & now.keys()) if before[aid] != now[aid]]
    found += [f"artifact {aid}: in the report, not in this bundle"
              for aid in sorted(before.keys() - now.keys())]
    found += [f"artifact {aid}: in this bundle, not in the report"
              for aid in sorted(now.keys() - before.keys())]
    if not found and report.bundle.digest != again.bundle.digest:
        found.append("the bundle's manifest differs (same artifacts, other metadata or "
                     "fields)")
    return found


def _monitoring(report: Result, again: Result) -> list[str]:
    """A monitor result's warnings (what it could not vouch for) follow from its evidence
    and its --max-age: this re-evaluation, at the same max-age, says otherwise."""
    if report.mode != "monitor" or report.warnings == again.warnings:
        return []
    return [f"monitored with --max-age {max_age_of(report)}, the report warns "
            f"{_listed(report.warnings)}, this re-evaluation {_listed(again.warnings)} (was "
            "its max-age changed?)"]


def _listed(warnings: list[str]) -> str:
    return "; ".join(warnings[:3]) + ("; …" if len(warnings) > 3 else "") if warnings \
        else "nothing"


def _digests(result: Result) -> dict[str, str | None]:
    return {e.id: e.sha256 for c in result.controls for e in c.evidence}


def _outcomes(report: Result, again: Result) -> list[str]:
    now = {c.id: c.outcome.value for c in again.controls}
    return [f"control {c.id}: {c.outcome.value} in the report, {now.get(c.id, 'absent')} now"
            for c in report.controls if now.get(c.id) != c.outcome.value]


def _keys(report: Result, again: Result) -> list[str]:
    one, two = report.payload(), again.payload()
    return sorted(k for k in one.keys() | two.keys() if one.get(k) != two.get(k))
