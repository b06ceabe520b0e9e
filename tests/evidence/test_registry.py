import pkgutil
from importlib import import_module
from typing import get_args

import p0gate.evidence as package
from p0gate.evidence import READERS, reader_for
from p0gate.model import ArtifactKind


def test_every_kind_has_exactly_one_reader_of_that_kind() -> None:
    kinds = [r.kind for r in READERS]
    assert sorted(kinds) == sorted(get_args(ArtifactKind))
    for entry in READERS:
        assert entry.load().kind == entry.kind, entry
        assert entry.formats


def test_every_reader_module_is_registered() -> None:
    registered = {r.target.split(":")[0] for r in READERS}
    for info in pkgutil.iter_modules(package.__path__):
        module = import_module(f"{package.__name__}.{info.name}")
        readers = [v for k, v in vars(module).items()
                   if isinstance(v, type) and v.__module__ == module.__name__
                   and isinstance(getattr(v, "kind", None), str) and hasattr(v, "read")]
        if readers:
            assert module.__name__ in registered, f"{module.__name__} is not in READERS"


def test_unknown_kind() -> None:
    assert reader_for("spreadsheet") is None
