"""Safe YAML loading that remembers where every value came from.

p0gate reads YAML written by people, so it is strict where YAML 1.1 is surprising:
- only ``true``/``false`` are booleans (``on``, ``yes``, ``no`` stay strings: ``alerts: {on: …}``);
- timestamps stay strings, so pydantic parses them and can insist on a timezone;
- anchors and aliases are refused (no alias bomb can exhaust memory), as are custom tags;
- nesting deeper than ``MAX_DEPTH`` and documents larger than ``MAX_BYTES`` are refused.

``load_yaml`` returns the plain data and a ``LineMap`` that turns a pydantic error location
into a file line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

import yaml

from p0gate.errors import InputError, Location

if TYPE_CHECKING:
    from pydantic import ValidationError

MAX_DEPTH = 64
MAX_BYTES = 16 * 1024 * 1024
# What each pattern of a file format means, in the words of its users: an error message
# says "expected a control id such as CR-1-LATENCY", never the regular expression.
PATTERN_WORDS: dict[str, str] = {}


def worded(pattern: str, words: str) -> str:
    """``pattern``, remembered with what it means in a person's words."""
    PATTERN_WORDS[pattern] = words
    return pattern

Json: TypeAlias = "bool | int | float | str | list[Json] | dict[str, Json] | None"

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    _STR,
}


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """SafeLoader with YAML 1.2 booleans and no implicit timestamps."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in {"tag:yaml.org,2002:bool",
                                                              "tag:yaml.org,2002:timestamp"}]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass
class LineMap:
    """Maps a path of keys/indexes inside a document to its (line, column), 1-based."""

    file: Path
    spots: dict[tuple[str | int, ...], tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Sequence[str | int], data: Json) -> Location:
        """Best location for ``path``; steps that are not in ``data`` (union tags) are skipped."""
        real: list[str | int] = []
        node = data
        for step in path:
            child = _child(node, step)
            if child is _MISSING:
                continue
            node = child  # type: ignore[assignment]
            real.append(step)
        dotted = ".".join(str(p) for p in path) or None
        for cut in range(len(real), -1, -1):
            spot = self.spots.get(tuple(real[:cut]))
            if spot:
                return Location(self.file, spot[0], spot[1], dotted)
        return Location(self.file, field=dotted)


_MISSING = object()


def _child(node: Json, step: str | int) -> object:
    if isinstance(node, dict) and isinstance(step, str):
        return node.get(step, _MISSING)
    if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
        return node[step]
    return _MISSING


def load_yaml(path: Path, *, text: str | None = None) -> tuple[Json, LineMap]:
    """Read one YAML document from ``path`` into plain data with its line map."""
    if text is None:
        text = read_text(path)
    lines = LineMap(path)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        raise InputError(f"malformed YAML: {exc.problem or exc}", location=where,
                         hint="fix the YAML syntax (indentation, quotes, colons)") from None
    except yaml.YAMLError as exc:
        raise InputError(f"malformed YAML: {exc}", location=Location(path)) from None
    if node is None:
        raise InputError("the file is empty", location=Location(path))
    return _build(node, (), lines, set(), 0), lines


def read_text(path: Path, *, limit: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file with a size cap; errors name the file."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(f"file is {size} bytes, over the {limit}-byte limit",
                             location=Location(path))
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise InputError("file not found", location=Location(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, expected a file", location=Location(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 (byte {exc.start})", location=Location(path),
                         hint="save the file as UTF-8") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", location=Location(path)) from None


def _spot(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _where(lines: LineMap, node: yaml.Node) -> Location:
    """Where ``node`` is, built only for a message (thousands of nodes are read per pack)."""
    return Location(lines.file, *_spot(node))


def _build(node: yaml.Node, path: tuple[str | int, ...], lines: LineMap,
           seen: set[int], depth: int) -> Json:
    """Plain data from a composed node, recording where each value starts (a ``Location`` is
    made only for an error: this runs for every node of every file p0gate reads)."""
    if depth > MAX_DEPTH:
        raise InputError(f"nesting deeper than {MAX_DEPTH} levels", location=_where(lines, node))
    if id(node) in seen:
        raise InputError("YAML anchors and aliases are not allowed",
                         location=_where(lines, node), hint="write the value out in full")
    seen.add(id(node))
    lines.spots.setdefault(path, _spot(node))
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, lines)
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), lines, seen, depth + 1)
                for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        return _mapping(node.value, path, lines, seen, depth)
    raise InputError("unsupported YAML node", location=_where(lines, node))  # pragma: no cover


def _mapping(pairs: Iterable[tuple[yaml.Node, yaml.Node]], path: tuple[str | int, ...],
             lines: LineMap, seen: set[int], depth: int) -> dict[str, Json]:
    out: dict[str, Json] = {}
    for key_node, value_node in pairs:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise InputError("YAML merge keys (<<) are not allowed",
                             location=_where(lines, key_node))
        key = _build(key_node, (*path, "<key>"), lines, seen, depth + 1)
        if not isinstance(key, str):
            raise InputError(f"mapping key {key!r} must be a string",
                             location=_where(lines, key_node), hint="quote the key")
        if key in out:
            raise InputError(f"duplicate key {key!r}", location=_where(lines, key_node))
        lines.spots[(*path, key)] = _spot(key_node)
        out[key] = _build(value_node, (*path, key), lines, seen, depth + 1)
    return out


def _scalar(node: yaml.ScalarNode, lines: LineMap) -> Json:
    if node.tag == _STR:
        return str(node.value)
    if node.tag not in _SCALAR_TAGS:
        raise InputError(f"YAML tag {node.tag!r} is not allowed", location=_where(lines, node),
                         hint="remove the tag; p0gate reads plain values only")
    constructor = _CONSTRUCTOR.yaml_constructors[node.tag]
    try:
        value: Json = constructor(_CONSTRUCTOR, node)
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise InputError(f"cannot read the value: {exc}", location=_where(lines, node),
                         hint="quote the value or shorten it") from None
    return value


_CONSTRUCTOR = yaml.SafeLoader("")


def validation_error(exc: ValidationError, data: Json, lines: LineMap) -> InputError:
    """Turn pydantic's first few errors into one InputError with file, line and field."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    others = [f"line {lines.locate(e['loc'], data).line} ({_dotted(e)}): {_describe(e)}"
              for e in errors[1:5]]
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    message = _describe(first) + (f"; also {'; '.join(others)}" if others else "") + more
    return InputError(message, location=lines.locate(first["loc"], data), hint=_hint(first))


def _dotted(err: Mapping[str, object]) -> str:
    return ".".join(str(p) for p in err["loc"])  # type: ignore[attr-defined]


def _describe(err: Mapping[str, object]) -> str:
    """pydantic's message in the file's terms: no regular expression, no internals."""
    if err["type"] == "extra_forbidden":
        return f"unknown key {_dotted(err).rsplit('.', 1)[-1]!r}"
    if err["type"] == "string_pattern_mismatch":
        context = err.get("ctx")
        pattern = context.get("pattern") if isinstance(context, Mapping) else None
        words = PATTERN_WORDS.get(str(pattern), "a value of the documented form")
        return f"{err.get('input')!r} is not {words}"
    return str(err["msg"]).removeprefix("Value error, ")


def _hint(err: Mapping[str, object]) -> str | None:
    kind = err["type"]
    if kind == "extra_forbidden":
        return "remove the key or check its spelling against `p0gate schema`"
    if kind == "missing":
        return "add the required field"
    if kind in {"string_type"} and isinstance(err.get("input"), float | int):
        return "quote the value: YAML reads 1.10 as the number 1.1"
    if kind == "union_tag_invalid":
        return "use one of the check types that `p0gate schema policy` lists"
    return None
