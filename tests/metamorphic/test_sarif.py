"""findings over SARIF: one critical finding, wherever the run describes its rule and however
the result points at it, is never a pass (the default pack's SE-6 parameters)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from p0gate.checks.base import Outcome
from p0gate.checks.findings import FindingsCheck
from tests.bundlekit import File
from tests.metamorphic.kit import DATA, EXAMPLE, never_passes, passes, run_relation

BASES = [(EXAMPLE / "security" / "bandit.sarif").read_bytes(),
         (DATA / "sarif" / "bandit-clean.sarif").read_bytes()]
CHECK = FindingsCheck.model_validate({"type": "findings", "kind": "sarif", "levels": ["error"],
                                      "min_security_severity": 9.0, "max_results": 0})
RULE_ID = "py/command-line-injection"


@st.composite
def critical(draw: st.DrawFn) -> dict[str, Any]:
    """A run holding one critical finding: the rule in the driver or a pack, named by any
    reference, its level from the result, an override or the rule's default."""
    in_pack = draw(st.booleans())
    padding = [{"id": f"other/{i}"} for i in range(draw(st.integers(0, 2)))]
    rule: dict[str, Any] = {"id": RULE_ID}
    level_from = draw(st.sampled_from(["result", "default", "override", "severity"]))
    if level_from == "default":
        rule["defaultConfiguration"] = {"level": "error"}
    if level_from == "severity" or draw(st.booleans()):
        rule["properties"] = {"security-severity": draw(st.sampled_from(["9.8", 9.8, "10.0",
                                                                         9, "9"]))}
    rules = [*padding, rule]
    index = len(padding)
    result: dict[str, Any] = {"message": {"text": "command built from user input"}}
    ways = draw(st.lists(st.sampled_from(["ruleId", "ruleIndex", "rule.id", "rule.index",
                                          "subId"]), min_size=1, max_size=3, unique=True))
    ref: dict[str, Any] = {}
    if "ruleId" in ways:
        result["ruleId"] = RULE_ID
    elif "subId" in ways:
        result["ruleId"] = RULE_ID + "/1"  # hierarchical: a sub-id of the rule
    if "ruleIndex" in ways:
        result["ruleIndex"] = index
    if "rule.id" in ways:
        ref["id"] = result.get("ruleId", RULE_ID)
    if "rule.index" in ways:
        ref["index"] = index
    tool: dict[str, Any] = {"driver": {"name": "CodeQL", "rules": [] if in_pack else rules}}
    if in_pack:
        tool["extensions"] = [{"name": "codeql/python-queries", "rules": rules}]
        positional = "ruleIndex" in ways or "rule.index" in ways
        if positional or draw(st.booleans()):
            ref["toolComponent"] = draw(st.sampled_from([{"index": 0},
                                                         {"name": "codeql/python-queries"}]))
    if ref:
        result["rule"] = ref
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if level_from == "override":
        target = {"id": RULE_ID} if not in_pack else {"id": RULE_ID, "toolComponent":
                                                      {"index": 0}}
        invocation["ruleConfigurationOverrides"] = [{"descriptor": target,
                                                     "configuration": {"level": "error"}}]
    if level_from == "result":
        result["level"] = "error"
    suppression = draw(st.sampled_from([None, [], [{"status": "underReview"}],
                                        [{"status": "rejected"}], [{"kind": "inSource"}],
                                        [{"status": "accepted"}, {"status": "rejected"}]]))
    if suppression is not None:
        result["suppressions"] = suppression
    if draw(st.booleans()):
        result["baselineState"] = draw(st.sampled_from(["new", "unchanged", "updated"]))
    keys = draw(st.permutations(list(result)))
    return {"tool": tool, "invocations": [invocation],
            "results": [{k: result[k] for k in keys}]}


def _with(base: bytes, run: dict[str, Any], alone: bool) -> bytes:
    doc = json.loads(base)
    if alone:
        doc["runs"].append(run)
    else:  # the finding inside the scanner's own run
        mine = doc["runs"][0]
        mine["tool"] = run["tool"]
        mine["results"] = [*mine.get("results", []), *run["results"]]
        mine.setdefault("invocations", []).extend(run["invocations"][0:1])
        mine["invocations"] = [{**i, **run["invocations"][0]} for i in mine["invocations"]][:1]
    return json.dumps(doc).encode()


def test_a_critical_finding_is_never_hidden() -> None:
    for base in BASES:
        passes(CHECK, [File("scan", "sarif", "scan.sarif", base)])

    def relation(case: object) -> None:
        base, run, alone = case  # type: ignore[misc]
        got = never_passes(CHECK, [File("scan", "sarif", "scan.sarif", _with(base, run, alone))])
        assert got is Outcome.FAIL  # every variant here is valid SARIF: understood, not refused

    run_relation(st.tuples(st.sampled_from(BASES), critical(), st.booleans()), relation)


@st.composite
def unfinished(draw: st.DrawFn) -> dict[str, Any]:
    """A run that did not finish: zero results that prove nothing."""
    how = draw(st.sampled_from(["status", "execution", "configuration", "descriptor",
                                "no-results"]))
    run: dict[str, Any] = {"tool": {"driver": {"name": "Scanner", "notifications": [
        {"id": "fatal", "defaultConfiguration": {"level": "error"}}]}}, "results": []}
    invocation: dict[str, Any] = {"executionSuccessful": how != "status"}
    note = {"message": {"text": "analysis aborted"}, "level": "error"}
    if how in {"execution", "configuration"}:
        invocation[f"tool{how.title()}Notifications"] = [note]
    if how == "descriptor":
        invocation["toolExecutionNotifications"] = [{"message": {"text": "aborted"},
                                                     "descriptor": {"id": "fatal"}}]
    if how == "no-results":
        del run["results"]
    run["invocations"] = [invocation]
    return run


def test_a_scan_that_did_not_finish_never_passes() -> None:
    def relation(case: object) -> None:
        base, run = case  # type: ignore[misc]
        doc = json.loads(base)
        doc["runs"].append(run)
        got = never_passes(CHECK, [File("scan", "sarif", "s.sarif", json.dumps(doc).encode())])
        assert got is Outcome.ERROR

    run_relation(st.tuples(st.sampled_from(BASES), unfinished()), relation)
