"""The pack's files that checks read besides their parameters: lexicons and the trust store.

They are loaded and validated once, while the pack loads: each check loads what it reads
through a ``PackFolder`` (``CheckParams.pack_problems``), and the pack keeps the result, a
``PackFiles``, which every check's context carries. A check's ``run`` reads no file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from p0gate.checks.lexicon import Lexicon, load_lexicon
from p0gate.checks.trust import Trust, load_trust


@dataclass(frozen=True)
class PackFiles:
    """The loaded files: lexicons by their path in the pack, and the trust store."""

    lexicons: Mapping[str, Lexicon] = field(default_factory=dict)
    trust_store: Trust | None = None

    @property
    def trust(self) -> Trust:
        if self.trust_store is None:
            raise LookupError("no trust store was loaded with this pack")
        return self.trust_store


class PackFolder:
    """Loads what checks ask for while the pack loads, each file once."""

    def __init__(self, root: Path, trust_dir: Path | None = None) -> None:
        self.root = root
        self.trust_dir = trust_dir if trust_dir is not None else root / "trust"
        self._lexicons: dict[str, Lexicon] = {}
        self._trust: Trust | None = None

    def path(self, name: str) -> Path:
        """A file of the pack named by its relative, forward-slash path."""
        return self.root / PurePosixPath(name)

    def lexicon(self, name: str) -> Lexicon:
        """The lexicon at ``name`` (relative to the pack); raises ``InputError``."""
        if name not in self._lexicons:
            self._lexicons[name] = load_lexicon(self.path(name))
        return self._lexicons[name]

    def trust(self) -> Trust:
        """The trust store of ``trust_dir``; raises ``InputError``."""
        if self._trust is None:
            self._trust = load_trust(self.trust_dir)
        return self._trust

    def files(self) -> PackFiles:
        return PackFiles(MappingProxyType(dict(self._lexicons)), self._trust)
