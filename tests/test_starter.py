"""`init-pack`: a starter pack that validates, whose fixtures hold, and that decides."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from p0gate.errors import InputError
from p0gate.packtest import run_pack_tests, validate_pack
from p0gate.runner import Inputs, evaluate_paths
from p0gate.starter import init_pack

NOW = datetime(2025, 1, 15, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("starter") / "shop-api"
    init_pack(folder)
    return folder


def test_the_starter_pack_validates_and_its_fixture_cases_hold(pack: Path) -> None:
    assert "3 controls" in str(validate_pack(pack))
    report = run_pack_tests(pack)
    assert (report.passed, report.failed) == (2, 0)
    assert sorted(c.name.split(" [")[0] for c in report.cases) == ["every control fails",
                                                    "every control passes"]


@pytest.mark.parametrize(("bundle", "decision"), [("passing", "GO"), ("failing", "NO-GO")])
def test_its_bundles_decide_as_their_cases_say(pack: Path, bundle: str, decision: str) -> None:
    result = evaluate_paths(Inputs(evidence=pack / "tests" / "bundles" / bundle, policies=pack),
                            gate="canary", now=NOW)
    assert result.decision == decision
    assert result.pack.name == "shop-api"
    assert [a.title for a in result.pack.authorities] == ["Service Owner", "Security Lead"]
    assert result.gate == "canary"
    wanted = "pass" if decision == "GO" else "fail"
    assert {c.outcome.value for c in result.controls} == {wanted}


def test_its_gates_are_its_own_and_ga_follows_the_canary(pack: Path) -> None:
    from p0gate.policy import load_pack

    lifecycle = load_pack(pack).lifecycle
    assert lifecycle.declared and lifecycle.names == ("canary", "ga")
    ga = lifecycle.find("ga")
    assert ga is not None and ga.after is not None and ga.after.gate == "canary"


def test_a_wrong_expectation_makes_the_pack_tests_fail(pack: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(pack, copy)
    case = copy / "tests" / "passing.yaml"
    case.write_text(case.read_text().replace("SVC-2-TESTS: pass", "SVC-2-TESTS: fail"))
    assert run_pack_tests(copy).failed == 1


def test_it_never_writes_over_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "keep.yaml").write_text("mine")
    with pytest.raises(InputError, match="not empty"):
        init_pack(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.yaml"]
