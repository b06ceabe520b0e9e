from __future__ import annotations

from p0gate.formats.view import HIPAA_164_312, evidence_register, hipaa_matrix, source_file
from p0gate.result import Result


def test_hipaa_matrix_links_controls_by_reference(sample: Result) -> None:
    rows = {row.spec: row for row in hipaa_matrix(sample)}
    assert list(rows) == [spec for spec, _, _ in HIPAA_164_312]
    assert [c.id for c in rows["164.312(e)(2)(ii)"].controls] == ["PF-1-SYNC"]
    assert rows["164.312(e)(2)(ii)"].status == "waived"
    assert rows["164.312(b)"].status == "error"
    assert rows["164.312(a)(2)(ii)"].status == "pass"
    assert rows["164.312(d)"].status == "not covered"


def test_evidence_register_lists_each_artifact_once(example: Result) -> None:
    register = evidence_register(example)
    ids = [e.id for e in register]
    assert len(ids) == len(set(ids))
    used = {e.id for c in example.controls for e in c.evidence}
    assert set(ids) == used
    assert all(e.collected_at for e in register)


def test_source_file_splits_the_line(sample: Result) -> None:
    file, line = source_file(sample.controls[0])
    assert file == "crisis.yaml" and isinstance(line, int)
