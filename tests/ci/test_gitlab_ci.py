"""The GitLab job of docs/ci.md, run locally as a GitLab runner runs it, on the example bundles.

The job is read from the documentation itself (what users copy), its before_script and
script run in one bash after ``set -eo pipefail`` (as GitLab Runner's bash shell does) with
the variables GitLab sets (CI, GITLAB_CI, CI_PROJECT_DIR, CI_JOB_ID, ...) and the job's own
``variables``. ``P0GATE_PIP_SPEC``, the CI/CD variable the docs ask for, names a copy of the
project, installed offline into a fresh virtualenv.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.ci.kit import NOW, ROOT, Installer, key_values, run_bash, workspace, yaml_blocks

DOC = ROOT / "docs" / "ci.md"


def _job() -> tuple[str, dict[str, object]]:
    (block,) = yaml_blocks(DOC, "## GitLab CI")
    ((name, job),) = yaml.safe_load(block).items()
    return name, job


@pytest.fixture(scope="module")
def installer(tmp_path_factory: pytest.TempPathFactory) -> Installer:
    return Installer.build(tmp_path_factory.mktemp("gitlab"))


def run_job(installer: Installer, base: Path, **variables: str) -> tuple[
        subprocess.CompletedProcess[str], Path]:
    name, job = _job()
    ws = workspace(base)
    job_variables = {k: str(v) for k, v in dict(job.get("variables", {})).items()}
    env = installer.env(CI="true", GITLAB_CI="true", CI_SERVER="yes", CI_PROJECT_DIR=str(ws),
                        CI_BUILDS_DIR=str(base), CI_JOB_ID="4242", CI_JOB_NAME=name,
                        CI_JOB_STAGE=str(job["stage"]), CI_PIPELINE_ID="77",
                        CI_COMMIT_SHA="0" * 40, **(job_variables | variables))
    lines = [*list(job["before_script"]), *list(job["script"])]  # type: ignore[call-overload]
    script = "set -eo pipefail\n" + "\n".join(str(line) for line in lines) + "\n"
    return run_bash(script, cwd=ws, env=env, flags=(), scratch=base / "scripts"), ws


def _artifacts(ws: Path) -> dict[str, str]:
    _, job = _job()
    artifacts = dict(job["artifacts"])  # type: ignore[call-overload]
    assert artifacts["when"] == "always"
    for path in [*artifacts["paths"], *dict(artifacts["reports"]).values()]:
        assert (ws / path).exists(), path
    return key_values(ws / artifacts["reports"]["dotenv"])


@pytest.mark.parametrize(("bundle", "code", "decision"),
                         [("lifecycle/01-pre-release", 0, "GO"), ("no-go/beta", 1, "NO-GO")])
def test_the_job_decides_and_keeps_every_report(
    bundle: str, code: int, decision: str, installer: Installer, tmp_path: Path
) -> None:
    done, ws = run_job(installer, tmp_path, P0GATE_PIP_SPEC=str(installer.source),
                       P0GATE_EVIDENCE=f"evidence/examples/{bundle}", P0GATE_GATE="beta",
                       P0GATE_EXTRA_ARGS=f"--now {NOW}")
    assert done.returncode == code, done.stdout + done.stderr
    assert "p0gate, version" in done.stdout
    assert _artifacts(ws) == {"P0GATE_DECISION": decision, "P0GATE_EXIT_CODE": str(code)}
    assert json.loads((ws / "reports" / "p0gate.json").read_text())["decision"] == decision
    assert sorted(p.name for p in (ws / "reports").iterdir()) == sorted(
        ["p0gate.json", "p0gate.junit.xml", "p0gate.sarif", "p0gate.md", "p0gate.html",
         "p0gate.pdf", "p0gate.env"])


def test_invalid_input_is_an_error_not_a_decision(installer: Installer, tmp_path: Path) -> None:
    done, ws = run_job(installer, tmp_path, P0GATE_PIP_SPEC=str(installer.source),
                       P0GATE_EVIDENCE="evidence/examples/no-such-bundle")
    assert done.returncode == 3, done.stdout + done.stderr
    assert key_values(ws / "reports" / "p0gate.env")["P0GATE_DECISION"] == "ERROR"


def test_without_the_install_variable_the_job_says_what_to_set(
    installer: Installer, tmp_path: Path
) -> None:
    done, _ = run_job(installer, tmp_path)
    assert done.returncode != 0 and "set the CI/CD variable P0GATE_PIP_SPEC" in done.stderr
