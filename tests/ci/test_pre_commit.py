"""The pre-commit hooks p0gate offers, and the docs' CI snippets, say things that are true.

Each hook of .pre-commit-hooks.yaml is run as pre-commit would (entry, then args, no file
names) against the default pack; the snippets of docs/ci.md name real hooks and inputs, pin
p0gate by commit (it has no tags) and never install it from a package index it is not on.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.ci.kit import ROOT, yaml_blocks

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
DOC = ROOT / "docs" / "ci.md"
BIN = Path(sys.executable).parent
COMMIT = re.compile(r"FULL-COMMIT-ID|[0-9a-f]{40}")


def _run_hook(entry: str, args: list[str]) -> subprocess.CompletedProcess[str]:
    command = shlex.split(entry)
    return subprocess.run([str(BIN / command[0]), *command[1:], *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize("hook", HOOKS, ids=[h["id"] for h in HOOKS])
def test_each_hook_runs_on_the_default_pack(hook: dict[str, object]) -> None:
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    assert re.search(str(hook["files"]), "policies/crisis.yaml")
    done = _run_hook(str(hook["entry"]), list(hook.get("args", [])))  # type: ignore[call-overload]
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_docs_snippets_pin_a_commit_of_real_hooks() -> None:
    remote, local = (yaml.safe_load(b)["repos"][0] for b in yaml_blocks(DOC, "## pre-commit"))
    assert COMMIT.fullmatch(str(remote["rev"])) and not str(remote["rev"]).startswith("v")
    assert {h["id"] for h in remote["hooks"]} <= {h["id"] for h in HOOKS}
    (hook,) = local["hooks"]
    assert local["repo"] == "local" and hook["language"] == "system"
    assert _run_hook(hook["entry"], []).returncode == 0


def test_the_docs_action_snippet_uses_real_inputs_at_a_pinned_commit() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    (block,) = yaml_blocks(DOC, "## GitHub Actions")
    step = yaml.safe_load(block)[0]
    repository, ref = str(step["uses"]).split("@")
    assert repository.endswith("/p0gate") and COMMIT.fullmatch(ref)
    assert set(step["with"]) <= set(action["inputs"])
    assert {n for n, s in action["inputs"].items() if s.get("required")} <= set(step["with"])


@pytest.mark.parametrize("path", ["README.md", "docs/ci.md", "action.yml",
                                  ".pre-commit-hooks.yaml", ".github/workflows/example.yml"])
def test_no_tag_or_package_index_install_of_p0gate(path: str) -> None:
    text = (ROOT / path).read_text()
    assert not re.search(r"p0gate@v\d|rev:\s*v\d", text), "p0gate has no tags"  # pinned commits
    # commands in code blocks never install the name "p0gate" from a package index
    code = "\n".join(re.findall(r"```[a-z]*\n(.*?)```", text, re.S)) if path.endswith(".md") \
        else text
    for line in re.findall(r"pip install (.*)", code):
        names = [t.strip("\"'") for t in shlex.split(line, comments=True)]
        assert not [n for n in names if re.fullmatch(r"p0gate([=<>~!\[].*)?", n)], line
