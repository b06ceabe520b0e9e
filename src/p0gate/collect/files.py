"""Copy files other tools wrote (JUnit, SARIF, axe, Locust…) into the bundle, by glob."""

from __future__ import annotations

import shutil
from pathlib import Path

from p0gate.errors import EvidenceError


def matching(base: Path, pattern: str) -> list[Path]:
    """Regular files under ``base`` matching ``pattern`` (``**`` allowed), sorted."""
    if Path(pattern).is_absolute() or ".." in Path(pattern).parts:
        raise EvidenceError(f"files: {pattern!r} must be a relative glob without ..")
    found = sorted(p for p in base.glob(pattern) if p.is_file() and not p.is_symlink())
    if not found:
        raise EvidenceError(f"files: nothing matches {pattern!r} under {base}",
                            hint="a control reading it would select nothing: fix the glob")
    return found


def copy_files(base: Path, pattern: str, out: Path, artifact_id: str) -> list[tuple[str, str]]:
    """Copy the matches under ``out/<id>/``; (artifact id, bundle path) per file.

    One match keeps the id; several become ``<id>.<n>`` (select them with ``kind:``).
    """
    found = matching(base, pattern)
    copied = []
    for n, source in enumerate(found, 1):
        rel = Path(artifact_id) / source.relative_to(base)
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, out / rel)
        copied.append((artifact_id if len(found) == 1 else f"{artifact_id}.{n}", rel.as_posix()))
    return copied
