from pathlib import Path

import pytest
from pydantic import ValidationError

from p0gate.errors import InputError
from p0gate.policy import PolicySet
from p0gate.yamlio import MAX_DEPTH, load_yaml, validation_error

F = Path("pack/x.yaml")


def test_yaml_12_booleans_and_timestamps_stay_strings() -> None:
    data, _ = load_yaml(F, text="a: on\nb: yes\nc: true\nd: 2025-09-20T10:00:00Z\ne: 1.10\n")
    assert data == {"a": "on", "b": "yes", "c": True, "d": "2025-09-20T10:00:00Z", "e": 1.1}


def test_line_map_points_at_keys_and_items() -> None:
    data, lines = load_yaml(F, text="top:\n  list:\n    - 1\n    - {deep: 2}\n")
    where = lines.locate(["top", "list", 1, "deep"], data)
    assert (where.line, where.column) == (4, 8)


def test_locate_skips_union_tags_that_are_not_in_the_data() -> None:
    data, lines = load_yaml(F, text="check:\n  type: metric\n  lt: x\n")
    where = lines.locate(["check", "metric", "lt"], data)
    assert where.line == 3


@pytest.mark.parametrize(("text", "needle"), [
    ("a: &x [1]\nb: *x\n", "aliases"),
    ("a: !!python/object:os.system x\n", "tag"),
    ("a: !!binary aGk=\n", "tag"),
    ("a: 1\na: 2\n", "duplicate key"),
    ("a: [\n", "malformed YAML"),
    ("", "empty"),
    ("{1: 2}\n", "must be a string"),
    ("<<: {a: 1}\n", "merge"),
])
def test_refused_documents(text: str, needle: str) -> None:
    with pytest.raises(InputError, match=needle) as info:
        load_yaml(F, text=text)
    assert str(F) in str(info.value)


def test_alias_bomb_is_refused_without_expanding() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{','.join('*' + prev for _ in range(9))}]")
    with pytest.raises(InputError, match="aliases"):
        load_yaml(F, text="\n".join(lines) + "\n")


def test_deep_nesting_is_refused() -> None:
    text = "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    with pytest.raises(InputError, match="nesting"):
        load_yaml(F, text=text)


def test_invalid_utf8_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: \xff\xfe\n")
    with pytest.raises(InputError, match="UTF-8") as info:
        load_yaml(bad)
    assert "bad.yaml" in str(info.value)


def test_validation_error_has_line_field_and_hint() -> None:
    text = ("apiVersion: p0gate/v1\nkind: PolicySet\nmetadata: {name: n, authority: crisis}\n"
            "controls:\n  - id: CR-1\n    title: t\n    severity: high\n    blocking: true\n"
            "    gates: [beta]\n    colour: red\n"
            "    check: {type: metric, artifact: m, path: a, lt: 1}\n")
    data, lines = load_yaml(F, text=text)
    with pytest.raises(ValidationError) as info:
        PolicySet.model_validate(data)
    err = validation_error(info.value, data, lines)
    assert err.location is not None and err.location.line == 10
    assert "unknown key" in err.message and "colour" in err.message
    assert err.hint and "spelling" in err.hint


def test_every_pattern_of_every_file_format_has_words_for_its_errors() -> None:
    """An error message never shows a regular expression: each pattern a file format uses
    says what it expects in its users' words (yamlio.worded)."""
    import json

    from p0gate.evidence.bundle import Manifest
    from p0gate.evidence.statement import SignOff
    from p0gate.packtest import PolicyTest
    from p0gate.policy import PackSettings, PolicySet
    from p0gate.waivers import WaiverSet
    from p0gate.yamlio import PATTERN_WORDS

    models = (PolicySet, PackSettings, Manifest, WaiverSet, SignOff, PolicyTest)
    patterns = set()
    for model in models:
        text = json.dumps(model.model_json_schema())
        patterns |= set(json.loads(f"[{','.join(_patterns(text))}]"))
    assert patterns and patterns <= set(PATTERN_WORDS), patterns - set(PATTERN_WORDS)


def _patterns(text: str) -> list[str]:
    import re

    return re.findall(r'"pattern": ("(?:[^"\\]|\\.)*")', text)


def test_a_pattern_error_says_what_was_expected(tmp_path: Path) -> None:
    from p0gate.errors import InputError
    from p0gate.policy import load_pack

    (tmp_path / "p.yaml").write_text(
        "apiVersion: p0gate/v1\nkind: PolicySet\nmetadata: {name: x, authority: crisis}\n"
        "controls:\n  - id: cr1\n    title: t\n    severity: high\n    blocking: true\n"
        "    phases: [beta]\n    check: {type: statistic, artifact: a, stat: p99x, lt: 3}\n")
    with pytest.raises(InputError) as caught:
        load_pack(tmp_path)
    message = str(caught.value)
    assert "'cr1' is not a control id" in message and "such as CR-1-LATENCY" in message
    assert "'p99x' is not a statistic" in message
    assert "^" not in message and "[A-Z]" not in message
