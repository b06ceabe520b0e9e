from pathlib import Path

import pytest

from p0gate.errors import EvidenceError
from p0gate.evidence.incidents import Incidents, IncidentsReader
from p0gate.evidence.metrics import ConfigReader, DocumentReader, Metrics, MetricsReader
from tests.bundlekit import File, make_bundle


def blob(tmp_path: Path, kind: str, name: str, data: bytes):  # type: ignore[no-untyped-def]
    bundle = make_bundle(tmp_path, [File("x", kind, name, data)])
    return bundle.blob(bundle.manifest.artifacts[0])


def metrics(tmp_path: Path, name: str, data: bytes) -> Metrics:
    return MetricsReader().read(blob(tmp_path, "metrics", name, data))


def test_json_and_yaml_metrics_flatten_to_dotted_paths(tmp_path: Path) -> None:
    raw = b'{"availability": {"percent": 99.95}, "fps": [60, 58]}'
    got = metrics(tmp_path / "j", "m.json", raw)
    assert got.values == {"availability.percent": 99.95, "fps.0": 60, "fps.1": 58}
    got = metrics(tmp_path / "y", "m.yaml", b"availability:\n  percent: 99.9\non: yes\n")
    assert got.get("availability.percent") == (True, 99.9)
    assert got.get("on") == (True, "yes") and got.get("missing") == (False, None)


@pytest.mark.parametrize(("name", "data", "needle"), [
    ("m.json", b'{"a": NaN}', "not valid JSON"),
    ("m.json", b'{"a": 1', "not valid JSON"),
    ("m.json", b"[1, 2]", "mapping"),
    ("m.yaml", b"a: &x 1\nb: *x\n", "aliases"),
    ("m.json", b'\xff{"a": 1}', "UTF-8"),
])
def test_bad_metrics(tmp_path: Path, name: str, data: bytes, needle: str) -> None:
    with pytest.raises(EvidenceError, match=needle):
        metrics(tmp_path, name, data)


def test_config_and_document(tmp_path: Path) -> None:
    doc = ConfigReader().read(blob(tmp_path / "c", "config", "c.yaml", b"tls: {min: '1.2'}\n"))
    assert doc.doc == {"tls": {"min": "1.2"}}
    document = DocumentReader().read(blob(tmp_path / "d", "document", "r.pdf", b"%PDF-1.7"))
    assert document.size == 8 and len(document.sha256) == 64


def incidents(tmp_path: Path, name: str, data: bytes) -> Incidents:
    return IncidentsReader().read(blob(tmp_path, "incidents", name, data))


def test_incidents_csv_and_jsonl(tmp_path: Path) -> None:
    csv = b"id,severity,category,opened_at\nI1,critical,safety,2025-09-20T10:00:00Z\n"
    jsonl = b'{"id": "I1", "severity": "critical", "category": "safety", ' \
            b'"opened_at": "2025-09-20T10:00:00+02:00", "paged": true}\n\n'
    for name, data in (("i.csv", csv), ("i.jsonl", jsonl)):
        records = incidents(tmp_path / name, name, data).records
        assert len(records) == 1 and records[0].fields["category"] == "safety"
        assert records[0].opened_at.tzinfo is not None


@pytest.mark.parametrize(("data", "needle"), [
    (b'{"severity": "low", "category": "x"}\n', "missing opened_at"),
    (b'{"severity": "low", "category": "x", "opened_at": "yesterday"}\n', "ISO 8601"),
    (b'{"severity": "low", "category": "x", "opened_at": "2025-09-20T10:00:00"}\n', "timezone"),
    (b"[1]\n", "JSON object"),
    (b"{oops\n", "line 1: not valid JSON"),
])
def test_bad_incidents(tmp_path: Path, data: bytes, needle: str) -> None:
    with pytest.raises(EvidenceError, match=needle):
        incidents(tmp_path, "i.jsonl", data)


@pytest.mark.parametrize(("name", "data"), [
    ("m.json", b'{"a.b": 1, "a": {"b": 2}}'),
    ("m.json", b'{"a": {"b": 2}, "a.b": 1}'),
    ("m.json", b'{"fps": [60], "fps.0": 10}'),
    ("m.yaml", b'"a.b": 1\na:\n  b: 2\n'),
])
def test_a_dotted_key_that_collides_with_a_nested_path_is_ambiguous(
        tmp_path: Path, name: str, data: bytes) -> None:
    with pytest.raises(EvidenceError, match="two values have the dotted path"):
        metrics(tmp_path / "m", name, data)
    with pytest.raises(EvidenceError, match="two values have the dotted path"):
        ConfigReader().read(blob(tmp_path / "c", "config", name, data))


def test_repeated_keys_are_refused_in_json_as_in_yaml(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match="duplicate key 'percent'"):
        metrics(tmp_path / "j", "m.json", b'{"availability": {"percent": 90, "percent": 99.99}}')
    with pytest.raises(EvidenceError, match="duplicate key 'percent'"):
        metrics(tmp_path / "y", "m.yaml", b"availability:\n  percent: 90\n  percent: 99.99\n")


def test_dotted_keys_alone_are_fine(tmp_path: Path) -> None:
    got = metrics(tmp_path, "m.json", b'{"availability.percent": 99.95, "a": {"b.c": 1}}')
    assert got.values == {"availability.percent": 99.95, "a.b.c": 1}
