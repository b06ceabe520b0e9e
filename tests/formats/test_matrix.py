from __future__ import annotations

from p0gate.formats.matrix import HIPAA_164_312, matrices
from p0gate.result import ReferenceOut, Result


def test_hipaa_matrix_links_controls_by_reference(sample: Result) -> None:
    found = {m.framework: m for m in matrices(sample)}
    hipaa = found["hipaa"]
    rows = {row.ref: row for row in hipaa.rows}
    assert list(rows)[: len(HIPAA_164_312.rows)] == [ref for ref, _, _ in HIPAA_164_312.rows]
    assert [c.id for c in rows["164.312(e)(2)(ii)"].controls] == ["PF-1-SYNC"]
    assert rows["164.312(e)(2)(ii)"].status == "waived"
    assert rows["164.312(b)"].status == "error"
    assert rows["164.312(a)(2)(ii)"].status == "pass"
    assert rows["164.312(d)"].status == "not covered"


def test_one_matrix_per_framework_the_pack_cites_and_none_for_others(sample: Result) -> None:
    cited = list(dict.fromkeys(r.framework.lower() for c in sample.controls
                               for r in c.references))
    assert [m.framework for m in matrices(sample)] == cited
    bare = sample.model_copy(update={"controls": [
        c.model_copy(update={"references": [ReferenceOut(framework="pci-dss", id="6.4.3")]})
        for c in sample.controls]})
    (only,) = matrices(bare)
    assert only.framework == "pci-dss" and only.kind_header is None
    assert [r.ref for r in only.rows] == ["6.4.3"]
    assert len(only.rows[0].controls) == len(sample.controls)
