"""How SARIF 2.1.0 objects point at each other inside one run (used by the sarif reader).

A run's tool has a ``driver`` and ``extensions`` (CodeQL puts every rule in its query packs,
the extensions, with ``--sarif-group-rules-by-pack``). A result, an override or a notification
names its descriptor with a ``reportingDescriptorReference`` (``id``, ``index``, ``guid``,
``toolComponent``); a ``toolComponentReference`` names a component by ``index`` into
``extensions``, ``guid`` or ``name``. Every way of naming must agree: two names for two
different things are refused, never resolved by guessing. A hierarchical id (``CA2101/1``)
finds the descriptor ``CA2101`` when no descriptor has the full id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from p0gate.evidence.reader import fail

if TYPE_CHECKING:
    from p0gate.evidence.bundle import Blob
    from p0gate.yamlio import Json

Obj = dict[str, "Json"]
T = TypeVar("T")


def obj(blob: Blob, value: Json, where: str) -> Obj:
    if not isinstance(value, dict):
        raise fail(blob, f"{where} must be an object")
    return value


def objects(blob: Blob, value: Json, where: str, *, absent: Json = None) -> list[Obj]:
    """An array of objects; ``absent`` (the default empty) when the property is missing."""
    if value is None:
        value = [] if absent is None else absent
    if not isinstance(value, list):
        raise fail(blob, f"{where} must be an array")
    return [obj(blob, item, f"{where}[{i}]") for i, item in enumerate(value)]


def index_of(blob: Blob, holder: Obj, key: str, where: str) -> int | None:
    """An optional SARIF index: absent or -1 means not given."""
    value = holder.get(key, -1)
    if isinstance(value, bool) or not isinstance(value, int) or value < -1:
        raise fail(blob, f"{where}.{key} {value!r} is not an index")
    return None if value == -1 else value


def string_of(blob: Blob, holder: Obj, key: str, where: str) -> str | None:
    value = holder.get(key)
    if value is not None and not isinstance(value, str):
        raise fail(blob, f"{where}.{key} must be a string")
    return value


class Component:
    """A driver or extension; its descriptor tables are checked and indexed once."""

    def __init__(self, name: str, body: Obj) -> None:
        self.name = name
        self.body = body
        self._tables: dict[str, list[Obj]] = {}
        self._ids: dict[str, dict[str, list[Obj]]] = {}

    def descriptors(self, blob: Blob, kind: str, where: str) -> list[Obj]:
        if kind not in self._tables:
            self._tables[kind] = objects(blob, self.body.get(kind), f"{where}.{kind}")
        return self._tables[kind]

    def with_id(self, blob: Blob, kind: str, where: str, wanted: str) -> list[Obj]:
        if kind not in self._ids:
            index: dict[str, list[Obj]] = {}
            for found in self.descriptors(blob, kind, where):
                if isinstance(found.get("id"), str):
                    index.setdefault(str(found["id"]), []).append(found)
            self._ids[kind] = index
        return self._ids[kind].get(wanted, [])


class Tool:
    """The driver and extensions of one run, with reference resolution."""

    def __init__(self, blob: Blob, tool: Obj, where: str) -> None:
        self.blob = blob
        self.where = where
        driver = obj(blob, tool.get("driver"), f"{where}.driver")
        name = driver.get("name")
        if not isinstance(name, str):
            raise fail(blob, f"{where}.driver.name must be a string")
        self.driver = Component(name, driver)
        extensions = objects(blob, tool.get("extensions"), f"{where}.extensions")
        self.extensions = [Component(str(e.get("name", f"extension {i}")), e)
                           for i, e in enumerate(extensions)]

    def component(self, ref: Obj, where: str) -> Component:
        """The component a toolComponentReference names; every given name must agree."""
        found: list[Component] = []
        index = index_of(self.blob, ref, "index", where)
        if index is not None:
            if index >= len(self.extensions):
                raise fail(self.blob, f"{where}.index {index}: the tool has "
                           f"{len(self.extensions)} extensions")
            found.append(self.extensions[index])
        for key in ("guid", "name"):
            wanted = string_of(self.blob, ref, key, where)
            if wanted is not None:
                found.append(self._unique(key, wanted, where))
        return self._agreed(found, where, "toolComponent")

    def _unique(self, key: str, wanted: str, where: str) -> Component:
        every = [self.driver, *self.extensions]
        matches = [c for c in every if c.body.get(key) == wanted]
        if len(matches) != 1:
            what = "no" if not matches else f"{len(matches)}"
            raise fail(self.blob, f"{where}.{key} {wanted!r} names {what} tool components")
        return matches[0]

    def _agreed(self, found: list[T], where: str, what: str) -> T:
        if not found:
            raise fail(self.blob, f"{where} names no {what}")
        if any(item is not found[0] for item in found[1:]):
            raise fail(self.blob, f"{where}: its {what} references disagree",
                       hint="index, guid, name and id must name the same entry")
        return found[0]

    def descriptor(self, ref: Obj, kind: str, where: str) -> Obj | None:
        """The rule (``kind`` rules) or notification descriptor a reference names.

        None when only an id is given and no component describes it (SARIF allows results
        whose rule has no descriptor). Without a toolComponent the driver is searched first,
        then the extensions (a producer that forgot the toolComponent must not hide a rule).
        """
        scoped = "toolComponent" in ref
        components = [self._scope(ref, where)] if scoped else [self.driver]
        found = self._by_position(ref, components[0], kind, where)
        rule_id = string_of(self.blob, ref, "id", where)
        if rule_id is not None and not found:
            by_id = self._by_id(rule_id, components, kind, where)
            if by_id is None and not scoped:
                by_id = self._by_id(rule_id, self.extensions, kind, where)
            if by_id is None and scoped:
                raise fail(self.blob, f"{where}: {components[0].name} has no {kind} "
                           f"with the id {rule_id!r}")
            found += [by_id] if by_id is not None else []
        if not found:
            return None
        chosen = self._agreed(found, where, "descriptor")
        if rule_id is not None and not names(chosen.get("id"), rule_id):
            raise fail(self.blob, f"{where}: id {rule_id!r} but the descriptor it points at "
                       f"is {chosen.get('id')!r}")
        return chosen

    def _scope(self, ref: Obj, where: str) -> Component:
        return self.component(obj(self.blob, ref["toolComponent"], f"{where}.toolComponent"),
                              f"{where}.toolComponent")

    def _by_position(self, ref: Obj, component: Component, kind: str, where: str) -> list[Obj]:
        found: list[Obj] = []
        table = component.descriptors(self.blob, kind, f"{self.where} {component.name}")
        index = index_of(self.blob, ref, "index", where)
        if index is not None:
            if index >= len(table):
                raise fail(self.blob, f"{where}.index {index}: {component.name} has "
                           f"{len(table)} {kind}")
            found.append(table[index])
        guid = string_of(self.blob, ref, "guid", where)
        if guid is not None:
            matches = [d for d in table if d.get("guid") == guid]
            if len(matches) != 1:
                raise fail(self.blob, f"{where}.guid {guid!r} names {len(matches)} {kind}")
            found.append(matches[0])
        return found

    def _by_id(self, rule_id: str, components: list[Component], kind: str,
               where: str) -> Obj | None:
        """The descriptor with this id, or with the longest hierarchical prefix of it."""
        parts = rule_id.split("/")
        for cut in range(len(parts), 0, -1):
            wanted = "/".join(parts[:cut])
            matches = [d for c in components
                       for d in c.with_id(self.blob, kind, f"{self.where} {c.name}", wanted)]
            distinct = [m for i, m in enumerate(matches) if all(m is not o for o in matches[:i])]
            if len(distinct) > 1:
                raise fail(self.blob, f"{where}: {len(distinct)} {kind} have the id "
                           f"{wanted!r}", hint="name the tool component (rule.toolComponent)")
            if distinct:
                return distinct[0]
        return None


def names(descriptor_id: Json, rule_id: str) -> bool:
    """A result's id names a descriptor: equal, or a hierarchical child (``CA2101/1``)."""
    return isinstance(descriptor_id, str) and (
        rule_id == descriptor_id or rule_id.startswith(descriptor_id + "/"))
