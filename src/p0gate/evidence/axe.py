"""axe: axe-core result JSON, one result or a list of them (one per screen).

Only what the accessibility check needs is kept: per screen its url, and per rule of
``violations`` and ``incomplete`` the id, impact, tags, help text, helpUrl and node count.
A document that does not look like axe-core output (no ``testEngine`` named axe-core, no
``violations``/``passes``/``incomplete`` lists: a missing list is not an empty one) is an
error naming the entry. A rule whose ``impact`` is null takes the highest impact of its
nodes; a violation with no impact at all keeps ``None``, which the check counts (an unknown
impact never passes). Tags are kept folded (``textmatch.fold``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from p0gate.evidence.reader import fail, json_document
from p0gate.textmatch import fold

if TYPE_CHECKING:
    from p0gate.evidence.bundle import Blob
    from p0gate.yamlio import Json

Impact = Literal["minor", "moderate", "serious", "critical"]
IMPACTS: tuple[Impact, ...] = ("minor", "moderate", "serious", "critical")


class _Lenient(BaseModel):
    """axe output carries many fields p0gate does not use: ignore them, check the rest."""

    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)


class AxeNode(_Lenient):
    target: list[object] = Field(default_factory=list)
    impact: Impact | None = None


class AxeRule(_Lenient):
    id: str
    impact: Impact | None = None
    tags: tuple[str, ...] = ()
    help: str = ""
    helpUrl: str = ""  # noqa: N815 - axe's spelling
    nodes: tuple[AxeNode, ...] = ()

    @field_validator("tags")
    @classmethod
    def _folded(cls, tags: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(fold(t) for t in tags)

    @model_validator(mode="before")
    @classmethod
    def _impact_of_nodes(cls, data: object) -> object:
        if not isinstance(data, dict) or data.get("impact") is not None:
            return data
        nodes = data.get("nodes")
        found = [n.get("impact") for n in nodes if isinstance(n, dict)] \
            if isinstance(nodes, list) else []
        known = [i for i in found if i in IMPACTS]
        return {**data, "impact": max(known, key=IMPACTS.index)} if known else data


class AxeEngine(_Lenient):
    name: Literal["axe-core"]
    version: str


class AxeScreen(_Lenient):
    """One axe-core run over one page or screen."""

    testEngine: AxeEngine  # noqa: N815
    url: str = ""
    timestamp: str = ""
    violations: tuple[AxeRule, ...]
    passes: tuple[AxeRule, ...]
    incomplete: tuple[AxeRule, ...]
    inapplicable: tuple[AxeRule, ...] = ()

    def tested(self, tags: set[str]) -> bool:
        """Whether any rule that ran on this screen carries one of ``tags``."""
        rules = (*self.violations, *self.passes, *self.incomplete, *self.inapplicable)
        return any(t in tags for r in rules for t in r.tags)


class AxeResults(_Lenient):
    screens: tuple[AxeScreen, ...]


class AxeReader:
    kind: ClassVar[str] = "axe"
    formats: ClassVar[str] = "axe-core result JSON (one result or a list, one per screen)"

    def read(self, blob: Blob) -> AxeResults:
        doc = json_document(blob)
        entries = doc if isinstance(doc, list) else [doc]
        if not entries:
            raise fail(blob, "an empty list: no axe-core results")
        names = [
            f"entry {i}" if isinstance(doc, list) else "the document" for i in range(len(entries))
        ]
        return AxeResults(
            screens=tuple(_screen(blob, n, e) for n, e in zip(names, entries, strict=True))
        )


def _screen(blob: Blob, where: str, entry: Json) -> AxeScreen:
    if not isinstance(entry, dict) or "testEngine" not in entry:
        raise fail(
            blob,
            f"{where} is not axe-core output (no testEngine)",
            hint="pass the JSON of axe.run() or @axe-core/cli --save",
        )
    try:
        return AxeScreen.model_validate(entry)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise fail(
            blob,
            f"{where} is not valid axe-core output: {loc}: {err['msg']}",
            hint="pass the JSON of axe.run() or @axe-core/cli --save",
        ) from None
