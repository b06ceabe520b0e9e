"""The expr check: CEL compiled at pack load, evaluated with the document bound to `doc`."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from p0gate.checks.expr import ExprCheck
from p0gate.cli import run
from p0gate.outcome import Outcome
from tests.bundlekit import File, make_bundle, run_check

CONFIG = (
    b'{"session": {"idle_logoff_minutes": 10}, "tls": {"min_version": "1.3"}, '
    b'"users": [{"id": "u1"}, {"id": "u2"}]}'
)


def check(expr: str) -> ExprCheck:
    return ExprCheck.model_validate({"type": "expr", "artifact": "cfg", "expr": expr})


def bundle(tmp_path: Path, data: bytes = CONFIG, path: str = "cfg.json"):  # type: ignore[no-untyped-def]
    return make_bundle(tmp_path, [File("cfg", "config", path, data)])


@pytest.mark.parametrize(
    ("expr", "outcome"),
    [
        ("doc.session.idle_logoff_minutes <= 15", Outcome.PASS),
        ('doc.tls.min_version in ["1.2", "1.3"] && size(doc.users) == 2', Outcome.PASS),
        ("doc.users.all(u, u.id.startsWith('u'))", Outcome.PASS),
        ("doc.session.idle_logoff_minutes <= 5", Outcome.FAIL),
        ("doc.session.idle_logoff_minutes + 1", Outcome.ERROR),  # not a boolean
        ("doc.session.missing == 1", Outcome.ERROR),  # no such key: never a pass
        ("1 / 0 == 1", Outcome.ERROR),
    ],
)
def test_outcomes(tmp_path: Path, expr: str, outcome: Outcome) -> None:
    assert run_check(check(expr), bundle(tmp_path)).outcome is outcome


def test_non_boolean_says_so(tmp_path: Path) -> None:
    found = run_check(check("doc.tls.min_version"), bundle(tmp_path))
    assert found.outcome is Outcome.ERROR and "not true or false" in found.message


def test_yaml_config(tmp_path: Path) -> None:
    data = b"session:\n  idle_logoff_minutes: 30\n"
    found = run_check(
        check("doc.session.idle_logoff_minutes <= 15"), bundle(tmp_path, data, "cfg.yaml")
    )
    assert found.outcome is Outcome.FAIL and "false for cfg" in found.message


def test_syntax_error_at_validation() -> None:
    with pytest.raises(ValidationError, match="not a valid CEL expression"):
        check("doc.session.idle_logoff_minutes <=")


def test_nothing_selected_is_inconclusive(tmp_path: Path) -> None:
    found = run_check(check("true"), make_bundle(tmp_path, [File("d", "document", "d", b"x")]))
    assert found.outcome is Outcome.INCONCLUSIVE


def test_bad_expression_in_a_pack_is_exit_3_naming_the_control(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "sec.yaml").write_text(
        "apiVersion: p0gate/v1\nkind: PolicySet\nmetadata: {name: s, authority: security}\n"
        "controls:\n"
        "  - id: SE-9-CEL\n    title: t\n    severity: high\n    blocking: true\n"
        "    gates: [beta]\n    check: {type: expr, artifact: cfg, expr: 'doc.a =='}\n"
    )
    assert run(["validate", str(tmp_path)]) == 3
    err = capsys.readouterr().err
    assert "sec.yaml:" in err and "not a valid CEL expression" in err and "SE-9-CEL" in err


@pytest.mark.parametrize("raw", [b"9" * 30, b"-" + b"9" * 400, b"18446744073709551616"])
def test_integers_cel_cannot_hold_are_an_error_not_a_crash(tmp_path: Path, raw: bytes) -> None:
    data = b'{"session": {"idle_logoff_minutes": ' + raw + b"}}"
    found = run_check(check("doc.session.idle_logoff_minutes <= 15"), bundle(tmp_path, data))
    assert found.outcome is Outcome.ERROR and "cannot represent" in found.message


@pytest.mark.parametrize(("expr", "words"), [
    ("doc.session.idle_logoff_minutes", "gave the number 15, not true or false"),
    ("doc.session", "gave an object with"),
    ("doc.session.absent <= 15", "the document has no key 'absent'"),
    ("doc.session.idle_logoff_minutes > 'x'", "> cannot be applied to an integer and text"),
    ("doc.session.idle_logoff_minutes * 1.5 > 1.0", "an integer and a decimal number"),
])
def test_messages_say_what_was_expected_without_cel_internals(expr: str, words: str) -> None:
    from p0gate.checks.expr import truth

    said = truth(expr, {"session": {"idle_logoff_minutes": 15}})
    assert isinstance(said, str) and words in said
    for internal in ("IntType", "MapType", "Token(", "celtypes", "RULE", "<class"):
        assert internal not in said


def test_a_syntax_error_names_the_column() -> None:
    from p0gate.checks.expr import compiled

    with pytest.raises(ValueError, match=r"column 7, near '>'"):
        compiled("doc.a >")
