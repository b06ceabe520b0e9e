from pathlib import Path

import pytest

from p0gate.checks.metric import MetricCheck
from p0gate.errors import EvidenceError
from p0gate.outcome import Outcome
from tests.bundlekit import File, make_bundle, run_check

DOC = b'{"availability": {"percent": 99.93}, "status": "ok", "up": true}'


def run(tmp_path: Path, files: list[File], **kw: object):  # type: ignore[no-untyped-def]
    check = MetricCheck.model_validate({"type": "metric", **kw})
    return run_check(check, make_bundle(tmp_path, files))


def m(artifact: str = "m", data: bytes = DOC) -> File:
    return File(artifact, "metrics", f"{artifact}.json", data)


def test_pass_and_fail(tmp_path: Path) -> None:
    ok = run(tmp_path / "a", [m()], artifact="m", path="availability.percent", gt=99.9)
    assert ok.outcome is Outcome.PASS and ok.measured == {"availability.percent": 99.93}
    bad = run(tmp_path / "b", [m()], artifact="m", path="availability.percent", gt=99.95)
    assert bad.outcome is Outcome.FAIL and "99.93 misses > 99.95" in bad.message


def test_missing_path_or_artifact_is_inconclusive(tmp_path: Path) -> None:
    assert run(tmp_path / "a", [m()], artifact="m", path="nope", lt=1).outcome \
        is Outcome.INCONCLUSIVE
    assert run(tmp_path / "b", [], artifact="m", path="a", lt=1).outcome is Outcome.INCONCLUSIVE


@pytest.mark.parametrize("path", ["status", "up"])
def test_non_numeric_value_is_an_error(tmp_path: Path, path: str) -> None:
    with pytest.raises(EvidenceError, match="not a number"):
        run(tmp_path, [m()], artifact="m", path=path, lt=1)


def test_every_selected_artifact_must_hold(tmp_path: Path) -> None:
    files = [m("a"), m("b", b'{"availability": {"percent": 98}}')]
    result = run(tmp_path, files, kind="metrics", path="availability.percent", ge=99)
    assert result.outcome is Outcome.FAIL
    assert set(result.measured) == {"availability.percent@a", "availability.percent@b"}


@pytest.mark.parametrize("raw", [b"9" * 400, b"-" + b"9" * 400])
def test_integers_beyond_float_range_are_an_error_not_a_crash(tmp_path: Path, raw: bytes) -> None:
    with pytest.raises(EvidenceError, match="not a finite number"):
        run(tmp_path, [m(data=b'{"availability": {"percent": ' + raw + b"}}")],
            artifact="m", path="availability.percent", gt=99.9)
