"""Fuzz target of archive unpacking: mutated .tar.gz, .tar and .zip bundles.

Whatever the bytes, ``unpacked`` yields a folder of regular files and folders inside its work
folder, or raises ``InputError``; nothing else escapes (a crash would exit 70).
"""

from __future__ import annotations

import gzip
import io
import tarfile
import tempfile
import zipfile
from functools import cache
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from p0gate.errors import InputError
from p0gate.evidence.archive import unpacked
from tests.fuzz.corpus import FUZZ, mutated

MEMBERS = {"b/manifest.yaml": b"apiVersion: p0gate/v1\n", "b/latency.csv": b"latency_ms\n10\n"}


@cache
def _seeds() -> dict[str, bytes]:
    tar_buffer = io.BytesIO()
    with tarfile.open(fileobj=tar_buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, body in MEMBERS.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    zip_buffer = io.BytesIO()
    with zipfile.ZipFile(zip_buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, body in MEMBERS.items():
            zf.writestr(name, body)
    plain = tar_buffer.getvalue()
    return {".tar": plain, ".tar.gz": gzip.compress(plain, mtime=0), ".zip": zip_buffer.getvalue()}


def _inputs() -> st.SearchStrategy[tuple[str, bytes]]:
    return st.sampled_from(sorted(_seeds().items())).flatmap(
        lambda pair: st.tuples(st.just(pair[0]), mutated(pair[1]))
    )


@FUZZ
@given(_inputs())
def test_unpacked_yields_confined_regular_files_or_input_error(case: tuple[str, bytes]) -> None:
    suffix, data = case
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / f"fuzzed{suffix}"
        archive.write_bytes(data)
        try:
            with unpacked(archive, max_bytes=1024**2) as root:
                for path in root.rglob("*"):
                    assert not path.is_symlink() and (path.is_file() or path.is_dir())
                    assert path.resolve().is_relative_to(root.parent.resolve())
        except InputError:
            pass
