"""Run CI definitions locally, as the CI systems run them, without the internet.

- ``Installer``: a fresh virtualenv per test module whose dependencies come from the suite's
  own virtualenv (a ``.pth`` line), and a copy of the project, as GitHub checks an action out
  into its own folder. The CI scripts install p0gate from that copy with the options in
  ``P0GATE_PIP_OPTIONS`` (``--no-index --no-deps``: nothing is downloaded).
- ``expand``: the ``${{ context.name }}`` expressions of GitHub Actions (lookups only; any
  other expression fails the test, so the action cannot grow one that is not run here).
- ``run_bash``: a script run the way the CI system does (GitHub: ``bash --noprofile --norc
  -eo pipefail FILE``; GitLab: one shell for before_script and script after ``set -eo
  pipefail``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "evidence" / "examples"
NOW = "2025-09-20T00:00:00Z"  # make demo's clock of the beta gate
OFFLINE_PIP = "--no-deps --no-build-isolation --no-index --ignore-installed"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
REPORTS = {"json": "p0gate.json", "junit": "p0gate.junit.xml", "sarif": "p0gate.sarif",
           "markdown": "p0gate.md", "html": "p0gate.html", "oscal": "p0gate.oscal.json",
           "pdf": "p0gate.pdf"}


@dataclass(frozen=True)
class Installer:
    """Where p0gate can be pip-installed from (``source``) and the bare Python to use."""

    source: Path
    venv: Path
    cache: Path

    @classmethod
    def build(cls, base: Path) -> Installer:
        source = base / "p0gate-src"
        source.mkdir()
        for folder in ("src", "templates"):
            shutil.copytree(ROOT / folder, source / folder, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        for name in ("pyproject.toml", "README.md", "action.yml"):
            shutil.copy2(ROOT / name, source / name)
        venv = base / "venv"
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        site = subprocess.run([str(venv / "bin" / "python"), "-c",
                               "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              capture_output=True, text=True, check=True).stdout.strip()
        Path(site, "suite-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
        return cls(source, venv, base / "cel-cache")

    def env(self, **extra: str) -> dict[str, str]:
        """A CI job's environment: this virtualenv's python first on PATH, pip offline."""
        path = f"{self.venv / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}:/usr/sbin:/sbin"
        return {"PATH": path, "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8",
                "PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1",
                "P0GATE_PIP_OPTIONS": OFFLINE_PIP, "P0GATE_CACHE_DIR": str(self.cache), **extra}


def workspace(base: Path) -> Path:
    """A checkout of a user's repository: the example bundles and the default pack."""
    folder = base / "workspace"
    (folder / "evidence").mkdir(parents=True)
    (folder / "evidence" / "examples").symlink_to(EXAMPLES)
    (folder / "policies").symlink_to(ROOT / "policies")
    return folder


def expand(text: str, context: dict[str, str]) -> str:
    """Replace every ``${{ name.path }}`` by its value in ``context`` (missing: empty)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert re.fullmatch(r"[a-z_]+(\.[A-Za-z0-9_-]+)+", name), f"not a lookup: {name}"
        root = name.split(".", 1)[0]
        assert root in {"inputs", "steps", "github", "secrets", "env"}, f"context {root}?"
        return context.get(name, "")

    return EXPRESSION.sub(value, text)


def run_bash(script: str, *, cwd: Path, env: dict[str, str], flags: tuple[str, ...],
             scratch: Path) -> subprocess.CompletedProcess[str]:
    scratch.mkdir(parents=True, exist_ok=True)
    file = scratch / f"script-{len(list(scratch.iterdir()))}.sh"
    file.write_text(script)
    return subprocess.run(["bash", *flags, str(file)], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300, check=False)


def key_values(path: Path) -> dict[str, str]:
    """``name=value`` lines (GITHUB_OUTPUT, a dotenv report); ``name<<EOF`` blocks too."""
    found: dict[str, str] = {}
    lines = iter(path.read_text().splitlines() if path.exists() else [])
    for line in lines:
        if "<<" in line and "=" not in line.split("<<", 1)[0]:
            name, marker = line.split("<<", 1)
            found[name] = "\n".join(iter(lambda: next(lines), marker))
        elif "=" in line:
            name, value = line.split("=", 1)
            found[name] = value
    return found


def yaml_blocks(markdown: Path, heading: str) -> list[str]:
    """The ```yaml blocks of the section ``heading`` (up to the next ``## `` heading)."""
    text = markdown.read_text()
    section = text.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```yaml\n(.*?)```", section, re.S)
