"""The evidence store: the one owner of reading, verifying, parsing and caching artifacts.

The bundle only resolves paths and verifies bytes; the store asks it for a verified blob and
has the reader of the artifact's kind parse it, once per artifact: every later read gets the
same parsed value (or the same error). A large artifact is parsed while its bytes are hashed;
the parse is used only once the digest of exactly those bytes matched. ``prefetch`` starts
that work in one background thread while the caller goes on (file reads, sha256 and
pyarrow's parsers release the GIL, so this overlaps with loading the pack); a parse is only
ever used after its digest matched.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from p0gate.errors import EvidenceError
from p0gate.evidence import reader_for

if TYPE_CHECKING:
    from types import TracebackType

    from p0gate.evidence import Registered
    from p0gate.evidence.bundle import Artifact, Blob, Bundle
    from p0gate.evidence.reader import Reader

PREFETCH_BYTES = 1024**3
STREAM_BYTES = 256 * 1024**2  # a larger file of a `large` kind is verified by streaming


class EvidenceStore:
    """Every artifact read in one run, by bundle and id: read, verified and parsed once."""

    def __init__(self) -> None:
        self._parsed: dict[tuple[int, str], Future[object]] = {}
        self._bundles: dict[int, Bundle] = {}  # keeps every keyed bundle alive
        self._verified: set[tuple[int, str]] = set()
        self._pool: ThreadPoolExecutor | None = None

    def read(self, bundle: Bundle, artifact: Artifact) -> object:
        """The artifact parsed by the reader of its kind; raises ``EvidenceError``."""
        key = self._key(bundle, artifact)
        if key not in self._parsed:
            self._parsed[key] = _settled(bundle, artifact)
        return self._parsed[key].result()

    def verify(self, bundle: Bundle, artifact: Artifact) -> None:
        """Raise ``EvidenceError`` unless the artifact's bytes are those the manifest sealed:
        for checks that read only manifest fields (its ``collected_at``), which must trust
        them no more than a reader trusts the bytes. A successful parse already verified
        them; otherwise the file is hashed (streamed, not kept)."""
        key = self._key(bundle, artifact)
        if key in self._verified:
            return
        parsed = self._parsed.get(key)
        if parsed is None or parsed.exception() is not None:
            bundle.verify(artifact)
        self._verified.add(key)

    def prefetch(self, bundle: Bundle, *, budget: int = PREFETCH_BYTES) -> None:
        """Read, verify and parse the sealed artifacts of ``bundle`` in the background, in
        manifest order, up to ``budget`` bytes by their manifest size."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="p0gate-read")
        for artifact in bundle.manifest.artifacts:
            if artifact.sha256 is None or artifact.size is None or artifact.size > budget:
                continue
            key = self._key(bundle, artifact)
            if key not in self._parsed:
                budget -= artifact.size
                self._parsed[key] = self._pool.submit(_parse, bundle, artifact)

    def close(self) -> None:
        """Stop prefetching: cancel what has not started, wait for what has."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> EvidenceStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def _key(self, bundle: Bundle, artifact: Artifact) -> tuple[int, str]:
        self._bundles.setdefault(id(bundle), bundle)
        return id(bundle), artifact.id


def _parse(bundle: Bundle, artifact: Artifact) -> object:
    """Verified and parsed: a large artifact is parsed while it is hashed (``Bundle.parsed``);
    a dataset or a very large file of a ``large`` kind is verified as files."""
    reader = reader_for(artifact.kind)
    large = reader is not None and reader.large
    return bundle.parsed(artifact, read_blob, stream_over=STREAM_BYTES if large else None)


def _settled(bundle: Bundle, artifact: Artifact) -> Future[object]:
    """The parse of ``artifact`` done now, as a finished future holding its value or error."""
    done: Future[object] = Future()
    try:
        done.set_result(_parse(bundle, artifact))
    except EvidenceError as exc:
        done.set_exception(exc)
    return done


def read_blob(blob: Blob) -> object:
    """The verified artifact parsed by the reader of its kind."""
    reader = reader_for(blob.artifact.kind)
    if reader is None:
        raise EvidenceError(f"artifact {blob.artifact.id!r}: no reader for kind "
                            f"{blob.artifact.kind!r} in this version of p0gate")
    return read_artifact(reader, blob)


def read_artifact(reader: Reader | Registered, blob: Blob) -> object:
    """``reader.read(blob)``, turning the parser failures that hostile files provoke (nesting
    deeper than the interpreter's stack, a CSV field over the csv module's limit) into an
    ``EvidenceError`` naming the artifact, like every other malformed file."""
    import csv

    try:
        return reader.read(blob)
    except (RecursionError, csv.Error) as exc:
        raise EvidenceError(f"artifact {blob.artifact.id!r} ({blob.artifact.path}): cannot "
                            f"parse: {type(exc).__name__}: {str(exc)[:120]}") from None
