"""scripts/start-postgres.sh starts a usable server even when PATH lacks the sbin folders.

CI runners (and sudo) often give a PATH without /usr/sbin, where runuser and useradd live;
the script once failed there and every PostgreSQL test was skipped.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from p0gate.ledger import parse_url

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "start-postgres.sh"


def _script(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8"}
    return subprocess.run(["/bin/bash", str(SCRIPT), *args], env=env, capture_output=True,
                          text=True, timeout=180, check=False)


@pytest.mark.postgres
def test_start_without_sbin_on_path_gives_a_working_server() -> None:
    started = _script("start")
    exports = dict(line.removeprefix("export ").split("=", 1)
                   for line in started.stdout.splitlines())
    assert started.returncode == 0 and set(exports) == {"P0GATE_TEST_POSTGRES_URL",
                                                        "P0GATE_PG_DIR"}, started.stderr
    try:
        engine = create_engine(parse_url(exports["P0GATE_TEST_POSTGRES_URL"]))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 6 * 7")).scalar() == 42
        engine.dispose()
    finally:
        stopped = _script("stop", exports["P0GATE_PG_DIR"])
    assert stopped.returncode == 0 and not Path(exports["P0GATE_PG_DIR"]).exists()
