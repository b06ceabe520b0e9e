"""Where p0gate may keep derived data between runs, such as the built CEL parser.

The folder is chosen by the CLI (the core never reads the environment) and handed down as a
parameter; ``None`` means nothing is kept. ``private_dir`` hands it out only when it belongs
to this user and nobody else can write to it, because what is cached there is loaded back
(pickled parser tables). ``CONTEXT_KEY`` names it in pydantic's validation context, which is
how it reaches a check's validator (the CEL compiler) while a pack loads.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

CONTEXT_KEY = "p0gate_cache_dir"


def private_dir(folder: Path | None) -> Path | None:
    """``folder``, created with mode 0700 when missing; None when not given or unsafe."""
    if folder is None:
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        return None
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None
    return folder


def from_context(context: object) -> Path | None:
    """The cache folder a validation context carries, if any."""
    if isinstance(context, dict):
        folder = context.get(CONTEXT_KEY)
        return folder if isinstance(folder, Path) else None
    return None
