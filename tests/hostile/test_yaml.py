"""Hostile YAML in manifests, policy files and waiver files: bombs, tags, junk, encodings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.kit import GOOD_CSV, PACK, bundle, evaluate, pack, refused

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(9)
)

HOSTILE_YAML: dict[str, bytes] = {
    "alias-bomb": LAUGHS.encode(),
    "single-alias": b"a: &x 1\nb: *x\n",
    "merge-key": b"base: {a: 1}\nother:\n  <<: {a: 2}\n",
    "deep-flow": ("[" * 5000 + "]" * 5000).encode(),
    "deep-block": "".join(f"{' ' * i}k{i}:\n" for i in range(200)).encode() + b" " * 200 + b"v\n",
    "deep-mapping": ("{a: " * 300 + "1" + "}" * 300).encode(),
    "python-object": b"!!python/object/apply:os.system ['touch /tmp/p0gate-pwned']\n",
    "python-name": b"a: !!python/name:os.system\n",
    "custom-tag": b"a: !secret value\n",
    "binary-tag": b"a: !!binary aGVsbG8=\n",
    "set-tag": b"a: !!set {x, y}\n",
    "timestamp-tag": b"a: !!timestamp 2025-01-01\n",
    "invalid-utf8": b"apiVersion: p0gate/v1\nkind: \xff\xfe\xfd\n",
    "utf16": "apiVersion: p0gate/v1\n".encode("utf-16"),
    "nul-bytes": b"apiVersion: p0gate/v1\x00\x00\nkind: x\n",
    "binary-junk": bytes(range(256)) * 4,
    "empty": b"",
    "only-comment": b"# nothing\n",
    "null-document": b"null\n",
    "scalar-document": b"just a string\n",
    "list-document": b"- a\n- b\n",
    "two-documents": b"a: 1\n---\nb: 2\n",
    "tabs": b"a:\n\t- b\n",
    "unclosed-quote": b"a: 'oops\n",
    "duplicate-keys": b"apiVersion: p0gate/v1\napiVersion: p0gate/v1\n",
    "non-string-key": b"1: a\n",
    "complex-key": b"? [a, b]\n: c\n",
    "huge-int": b"apiVersion: " + b"9" * 5000 + b"\n",
    "control-chars": b'apiVersion: "p0gate/v1\\u0000"\nkind: "\\x1b[31m"\n',
    "bidi-override": "apiVersion: p0gate/v1\nkind: \u202eteSyciloP\n".encode(),
    "yes-no-on": b"apiVersion: p0gate/v1\nkind: on\n",
    "directive": b"%YAML 1.1\n%TAG ! tag:evil.com,2000:\n---\na: !x 1\n",
}
TARGETS = ["manifest", "policy", "waivers"]
LARGE = 17 * 1024 * 1024


def _run(target: str, payload: bytes, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = bundle(
        work, {"latency.csv": GOOD_CSV}, manifest=payload if target == "manifest" else None
    )
    policies = pack(work)
    extra: list[str] = []
    if target == "policy":
        (policies / "hostile.yaml").write_bytes(payload)
    elif target == "waivers":
        (work / "waivers.yaml").write_bytes(payload)
        extra = ["--waivers", str(work / "waivers.yaml")]
    got = evaluate(capsys, work, folder, policies, *extra)
    refused(got, work=work)
    assert got.code == 3, got.err
    assert "error" in got.err


@pytest.mark.parametrize("name", sorted(HOSTILE_YAML))
@pytest.mark.parametrize("target", TARGETS)
def test_hostile_yaml(
    target: str, name: str, work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(target, HOSTILE_YAML[name], work, capsys)
    assert not Path("/tmp/p0gate-pwned").exists()


@pytest.mark.parametrize("target", TARGETS)
def test_oversized_yaml(target: str, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run(target, b"# " + b"x" * LARGE + b"\n", work, capsys)


def test_policy_in_a_subfolder_is_not_loaded_but_top_level_junk_is(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policies = pack(work, PACK)
    (policies / "extra.yml").write_bytes(b"\xff\xfe")
    folder = bundle(work, {"latency.csv": GOOD_CSV})
    got = evaluate(capsys, work, folder, policies)
    refused(got, work=work)
    assert got.code == 3 and "extra.yml" in got.err
