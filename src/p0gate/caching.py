"""Where p0gate may keep derived data between runs, such as the built CEL parser.

The CLI sets ``CACHE_DIR`` (the core never reads the environment); ``None`` means nothing is
kept. ``private_dir`` hands the folder out only when it belongs to this user and nobody else
can write to it, because what is cached there is loaded back (pickled parser tables).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

CACHE_DIR: Path | None = None


def private_dir() -> Path | None:
    """``CACHE_DIR``, created with mode 0700 when missing; None when unset or unsafe."""
    if CACHE_DIR is None:
        return None
    try:
        CACHE_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = CACHE_DIR.stat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        return None
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None
    return CACHE_DIR
