"""action.yml and the example workflow, run locally as GitHub runs them, on the example bundles.

The shell steps are read from action.yml with a YAML parser and run with ``bash --noprofile
--norc -eo pipefail`` and the variables GitHub sets (GITHUB_ACTION_PATH, GITHUB_OUTPUT,
GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE, RUNNER_TEMP, ...); the setup-python step is replaced
by a fresh virtualenv on PATH, into which the install step installs p0gate from the action's
folder, offline. A step that fails stops the action, as on GitHub.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from defusedxml import ElementTree

from tests.ci.kit import NOW, REPORTS, ROOT, Installer, expand, key_values, run_bash, workspace

ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / ".github" / "workflows" / "example.yml"
GITHUB_BASH = ("--noprofile", "--norc", "-eo", "pipefail")


@dataclass(frozen=True)
class Job:
    """What ran: exit code (0, or the failing step's), that step, outputs, summary, log."""

    code: int
    failed_step: str | None
    outputs: dict[str, str]
    summary: str
    log: str
    workspace: Path


@pytest.fixture(scope="module")
def installer(tmp_path_factory: pytest.TempPathFactory) -> Installer:
    return Installer.build(tmp_path_factory.mktemp("github"))


def _github_env(installer: Installer, base: Path, ws: Path) -> dict[str, str]:
    (base / "runner-temp").mkdir()
    return installer.env(
        CI="true", GITHUB_ACTIONS="true", RUNNER_OS="Linux", GITHUB_WORKSPACE=str(ws),
        GITHUB_ACTION_PATH=str(installer.source), RUNNER_TEMP=str(base / "runner-temp"),
        GITHUB_ENV=str(base / "github-env"), GITHUB_PATH=str(base / "github-path"),
        GITHUB_REPOSITORY="example/service", GITHUB_SHA="0" * 40, GITHUB_RUN_ID="42")


def _run_step(step: dict[str, object], n: int, context: dict[str, str], env: dict[str, str],
              base: Path, ws: Path) -> tuple[subprocess.CompletedProcess[str], Path, Path]:
    script = str(step["run"])
    assert "${{" not in script, f"step {n}: inputs reach scripts through env only"
    assert step.get("shell") == "bash"
    step_env = {k: expand(str(v), context) for k, v in dict(step.get("env", {})).items()}
    output, summary = base / f"output-{n}", base / f"summary-{n}"
    files = {"GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)}
    done = run_bash(script, cwd=ws, env={**env, **step_env, **files}, flags=GITHUB_BASH,
                    scratch=base / "scripts")
    return done, output, summary


def run_action(installer: Installer, base: Path, inputs: dict[str, str]) -> Job:
    action = yaml.safe_load(ACTION.read_text())
    declared: dict[str, dict[str, object]] = action["inputs"]
    assert set(inputs) <= set(declared), f"not inputs of the action: {set(inputs) - set(declared)}"
    assert all(n in inputs for n, spec in declared.items() if spec.get("required"))
    context = {f"inputs.{n}": str(inputs.get(n, spec.get("default", "")))
               for n, spec in declared.items()}
    ws = workspace(base)
    env, log, summary = _github_env(installer, base, ws), [], []
    failed: tuple[int, str | None] = (0, None)
    for n, step in enumerate(action["runs"]["steps"]):
        if "uses" in step:
            assert str(step["uses"]).startswith("actions/setup-python@"), step
            continue
        assert "if" not in step, "a step condition would not be exercised here"
        done, output, step_summary = _run_step(step, n, context, env, base, ws)
        log.append(done.stdout + done.stderr)
        summary.append(step_summary.read_text() if step_summary.exists() else "")
        if "id" in step:
            context |= {f"steps.{step['id']}.outputs.{k}": v for k, v in key_values(output).items()}
        if done.returncode:
            failed = (done.returncode, str(step.get("name")))
            break
    outputs = {n: expand(str(spec["value"]), context) for n, spec in action["outputs"].items()}
    return Job(*failed, outputs, "".join(summary), "".join(log), ws)


def _assert_reports(job: Job, decision: str) -> None:
    folder = job.workspace / "p0gate-reports"
    assert sorted(p.name for p in folder.iterdir()) == sorted(REPORTS.values())
    result = json.loads((folder / "p0gate.json").read_text())
    assert result["decision"] == decision
    sarif = json.loads((job.workspace / job.outputs["sarif"]).read_text())
    assert sarif["version"] == "2.1.0"
    cases = ElementTree.parse(job.workspace / job.outputs["junit"]).getroot().iter("testcase")
    assert len(list(cases)) == len(result["controls"])
    assert (job.workspace / job.outputs["pdf"]).read_bytes().startswith(b"%PDF-")
    assert decision in job.summary and "p0gate" in job.summary.lower()


def _example_steps() -> tuple[dict[str, object], list[dict[str, object]]]:
    steps: list[dict[str, object]] = yaml.safe_load(WORKFLOW.read_text())["jobs"]["gate"]["steps"]
    at = next(i for i, s in enumerate(steps) if s.get("uses") == "./")
    return steps[at], steps[at + 1:]


FILE_INPUTS = {"sarif_file", "path", "report_paths"}  # of upload-sarif, upload-artifact, junit


def _run_after(steps: list[dict[str, object]], job: Job, base: Path) -> list[int]:
    """The example's steps after the action: files handed to actions exist, scripts run."""
    context = {f"steps.p0gate.outputs.{k}": v for k, v in job.outputs.items()}
    env = {"PATH": "/usr/bin:/bin", "CI": "true", "GITHUB_WORKSPACE": str(job.workspace)}
    codes = []
    for n, step in enumerate(steps, start=100):
        assert step.get("if") in (None, "always()"), step
        if "uses" in step:
            for key in FILE_INPUTS & set(dict(step.get("with", {}))):
                path = expand(str(dict(step["with"])[key]), context)
                assert (job.workspace / path).exists(), (step["uses"], key, path)
            continue
        done, _, _ = _run_step({"shell": "bash", **step}, n, context, env, base, job.workspace)
        codes.append(done.returncode)
    return codes


def test_the_example_workflow_gates_the_go_bundle(installer: Installer, tmp_path: Path) -> None:
    gate, after = _example_steps()
    job = run_action(installer, tmp_path, {k: str(v) for k, v in dict(gate["with"]).items()})
    assert (job.code, job.failed_step) == (0, None), job.log
    assert job.outputs["decision"] == "GO" and job.outputs["exit-code"] == "0"
    _assert_reports(job, "GO")
    assert _run_after(after, job, tmp_path) == [0]  # "Fail on NO-GO" passes on GO


def test_no_go_fails_the_job_by_default_after_writing_every_report(
    installer: Installer, tmp_path: Path
) -> None:
    job = run_action(installer, tmp_path, {"evidence": "evidence/examples/no-go/beta",
                                           "phase": "beta", "now": NOW})  # the old name
    assert (job.code, job.failed_step) == (1, "Enforce the decision"), job.log
    assert job.outputs["decision"] == "NO-GO" and job.outputs["exit-code"] == "1"
    assert "::error::p0gate decided NO-GO" in job.log
    _assert_reports(job, "NO-GO")
    _, after = _example_steps()
    # the example (fail-on-no-go: "false") gets the same outputs: its last step fails the job
    assert _run_after(after, job, tmp_path) == [1]


def test_invalid_input_fails_the_evaluate_step_with_its_exit_code(
    installer: Installer, tmp_path: Path
) -> None:
    job = run_action(installer, tmp_path, {"evidence": "evidence/examples/no-such-bundle"})
    assert (job.code, job.failed_step) == (3, "Evaluate the gate"), job.log
    assert job.outputs["decision"] == "" and "::error::p0gate exited 3" in job.log


def test_p0gate_was_installed_from_the_action_folder(installer: Installer) -> None:
    where = subprocess.run([str(installer.venv / "bin" / "python"), "-c",
                            "import p0gate; print(p0gate.__file__)"],
                           capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(installer.venv)), where


@pytest.mark.parametrize(("decision", "fail_on_no_go", "code"), [
    ("GO", "true", 0), ("NO-GO", "true", 1), ("NO-GO", "false", 0), ("GO", "false", 0),
    ("", "true", 1),  # no decision (the evaluate step did not record one): never a pass
])
def test_the_enforce_step(decision: str, fail_on_no_go: str, code: int, tmp_path: Path) -> None:
    step = next(s for s in yaml.safe_load(ACTION.read_text())["runs"]["steps"]
                if s.get("name") == "Enforce the decision")
    context = {"steps.gate.outputs.decision": decision, "inputs.fail-on-no-go": fail_on_no_go,
               "inputs.reports-dir": "p0gate-reports"}
    env = {"PATH": "/usr/bin:/bin"}
    done, _, _ = _run_step(step, 0, context, env, tmp_path, tmp_path)
    assert done.returncode == code, done.stdout + done.stderr
