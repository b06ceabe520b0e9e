"""The shape of the code base: small functions, and a test module for every source module.

The import layers are held by the import-linter contract in pyproject.toml (`make lint`).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

SRC = ROOT / "src" / "p0gate"
MODULES = sorted(SRC.rglob("*.py"))
MAX_FUNCTION_LINES = 40


def _functions(path: Path) -> list[tuple[str, int]]:
    """(name, lines) of every function and method, decorators included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            found.append((node.name, (node.end_lineno or node.lineno) - first + 1))
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_function_is_over_40_lines(path: Path) -> None:
    long = [f"{name} ({lines} lines)" for name, lines in _functions(path)
            if lines > MAX_FUNCTION_LINES]
    assert not long, f"{path.relative_to(SRC)}: split {', '.join(long)}"


def _test_module(path: Path) -> Path | None:
    """tests/x/test_y.py for src/p0gate/x/y.py; a package's registry (an __init__.py that
    defines something) is tested in tests/x/test_registry.py; None when nothing is due."""
    rel = path.relative_to(SRC)
    folder = ROOT / "tests" / rel.parent
    if path.name == "__main__.py":
        return None
    if path.name == "__init__.py":
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defines = any(isinstance(n, ast.FunctionDef | ast.ClassDef) for n in tree.body)
        return folder / "test_registry.py" if defines else None
    return folder / f"test_{path.stem}.py"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_every_source_module_has_its_test_module(path: Path) -> None:
    expected = _test_module(path)
    assert expected is None or expected.is_file(), f"no {expected.relative_to(ROOT)}"


def test_the_length_rule_sees_decorators_and_bodies(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text("@decorator\ndef f():\n    x = 1\n    return x\n\n\nclass C:\n"
                      "    def g(self):\n        pass\n")
    assert _functions(sample) == [("f", 4), ("g", 2)]
