"""The CLI's contract: its commands, exit codes, one clear message for bad input, reports
on NO-GO too."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from p0gate.cli import run
from tests.conftest import EXAMPLES, GO_BUNDLE, NOW_ISO, POLICIES


def evaluate(bundle: Path, *extra: str) -> int:
    return run(["evaluate", "--evidence", str(bundle), "--policies", str(POLICIES),
                "--gate", "beta", "--now", NOW_ISO, "-q", *extra])


def test_go_exits_0_and_no_go_exits_1_with_reports(tmp_path: Path) -> None:
    assert evaluate(GO_BUNDLE, "--report", f"json={tmp_path}/go.json") == 0
    assert evaluate(EXAMPLES / "no-go" / "beta", "--report", f"json={tmp_path}/n/no.json") == 1
    assert json.loads((tmp_path / "n" / "no.json").read_bytes())["decision"] == "NO-GO"


def test_reports_are_byte_identical_across_runs(tmp_path: Path) -> None:
    for name in ("a", "b"):
        evaluate(GO_BUNDLE, "--report", f"json={tmp_path}/{name}.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_phase_is_the_old_name_of_gate(tmp_path: Path) -> None:
    code = run(["evaluate", "--evidence", str(GO_BUNDLE),
                "--policies", str(POLICIES), "--phase", "beta", "--now", NOW_ISO, "-q",
                "--report", f"json={tmp_path}/r.json"])
    assert code == 0 and json.loads((tmp_path / "r.json").read_text())["gate"] == "beta"


def test_with_declared_gates_the_gate_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["evaluate", "--evidence", str(GO_BUNDLE),
                "--policies", str(POLICIES), "--now", NOW_ISO, "-q"])
    assert code == 2 and "--gate is required" in capsys.readouterr().err


@pytest.mark.parametrize(("extra", "needle"), [
    (("--report", "xml=out.xml"), "unknown format"),
    (("--report", "json"), "FORMAT=PATH"),
    (("--now", "2025-09-28T12:00:00"), "no timezone"),
    (("--now", "yesterday"), "not ISO 8601"),
])
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], extra: tuple[str, ...],
                             needle: str) -> None:
    assert evaluate(GO_BUNDLE, *extra) == 2
    assert needle in capsys.readouterr().err


def test_bad_policy_exits_3_naming_file_and_line(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(POLICIES, pack, ignore=shutil.ignore_patterns("tests"))
    text = (pack / "crisis.yaml").read_text().replace("max_rate: 0.001", "max_rat: 0.001", 1)
    (pack / "crisis.yaml").write_text(text)
    code = run(["evaluate", "--evidence", str(GO_BUNDLE), "--policies", str(pack),
                "--now", NOW_ISO])
    err = capsys.readouterr().err
    assert code == 3 and "crisis.yaml:" in err and "max_rat" in err
    assert "Traceback" not in err
    assert run(["validate", str(pack)]) == 3


def test_malformed_yaml_and_missing_inputs_exit_3(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "x.yaml").write_text("controls: [\n")
    assert run(["validate", str(pack)]) == 3
    assert "x.yaml:2" in capsys.readouterr().err
    assert evaluate(tmp_path / "nope") == 3
    assert "evidence bundle not found" in capsys.readouterr().err
    bundle = tmp_path / "b"
    shutil.copytree(GO_BUNDLE, bundle)
    (bundle / "manifest.yaml").write_text((bundle / "manifest.yaml").read_text()
                                          .replace("  system: p0-cloud-sync\n", ""))
    assert evaluate(bundle) == 3
    assert "manifest.yaml" in capsys.readouterr().err


def test_unexpected_exception_exits_70(monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    import p0gate.runner

    def boom(*_: object, **__: object) -> None:
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(p0gate.runner, "evaluate_paths", boom)
    assert evaluate(GO_BUNDLE) == 70
    err = capsys.readouterr().err
    assert "internal error" in err and "--debug" in err and "Traceback" not in err


def test_unwritable_report_exits_4(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert evaluate(GO_BUNDLE, "--report", f"json={blocker}/r.json") == 4


def test_help_starts_fast_without_heavy_imports() -> None:
    code = ("import sys, time; t=time.perf_counter(); from p0gate.cli import run; "
            "run(['--help']); heavy=[m for m in ('numpy','pyarrow','scipy','weasyprint',"
            "'pyhanko','sqlalchemy','fhir','celpy') if m in sys.modules]; print(heavy)")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True).stdout
    assert out.strip().endswith("[]"), out
    assert time.perf_counter() - start < 5  # generous: the budget is measured in benchmarks/


def test_every_command_is_registered_once() -> None:
    import importlib
    import pkgutil

    import click

    import p0gate.cli
    from p0gate.cli import COMMANDS, cli

    modules = [importlib.import_module(f"p0gate.cli.{m.name}")
               for m in pkgutil.iter_modules(p0gate.cli.__path__)]
    found = [v for m in modules for v in vars(m).values() if isinstance(v, click.Command)]
    subcommands = {c for g in found if isinstance(g, click.Group) for c in g.commands.values()}
    assert {c for c in found if c not in subcommands} == set(COMMANDS)
    assert sorted(cli.commands) == sorted(str(c.name) for c in COMMANDS)


def _commands() -> list[tuple[str, object]]:
    import click

    from p0gate.cli import cli

    found: list[tuple[str, object]] = [("p0gate", cli)]
    for name, command in cli.commands.items():
        found.append((name, command))
        if isinstance(command, click.Group):
            found += [(f"{name} {sub}", c) for sub, c in command.commands.items()]
    return found


@pytest.mark.parametrize(("name", "command"), _commands(), ids=lambda v: str(v)[:30])
def test_every_help_shows_an_example_and_the_exit_codes(
    name: str, command: object, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [*name.split()[1:], "--help"] if name == "p0gate" else [*name.split(), "--help"]
    assert run(args) == 0
    shown = capsys.readouterr().out
    assert "Examples:" in shown and "p0gate " in shown.split("Examples:")[1]
    assert "Exit codes: 0" in " ".join(shown.split())
