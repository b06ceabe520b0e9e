"""scripts/make_confusables.py: the look-alike table is Unicode's confusables.txt, traceably."""

from __future__ import annotations

import hashlib
import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = """\ufeff# confusables.txt
# Date: 2020-02-13, 01:38:49 GMT
# Version: 13.0.0
#
0456 ;\t0069 ;\tMA\t# ( і → i ) CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I → ...\t#

006D ;\t0072 006E ;\tMA\t# ( m → rn ) LATIN SMALL LETTER M → LATIN SMALL LETTER R, ...\t#
0031 ;\t006C ;\tMA\t# ( 1 → l ) DIGIT ONE → LATIN SMALL LETTER L\t#
"""


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_confusables",
                                                  ROOT / "scripts" / "make_confusables.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_render_keeps_every_entry_sorted_and_names_its_source() -> None:
    source = SAMPLE.encode()
    table = _script().render(source)
    assert table == _script().render(source)  # deterministic
    lines = table.splitlines()
    assert "# Version: 13.0.0; Date: 2020-02-13, 01:38:49 GMT" in lines
    assert f"# sha256 of the source: {hashlib.sha256(source).hexdigest()}" in lines
    assert [line for line in lines if not line.startswith("#")] == [
        "0031\t006C", "006D\t0072 006E", "0456\t0069"]


def test_a_file_that_is_not_confusables_txt_is_refused() -> None:
    with pytest.raises(ValueError, match=r"not Unicode's confusables\.txt"):
        _script().parse("# Version: 1\nhello\n")
    with pytest.raises(ValueError, match=r"not Unicode's confusables\.txt"):
        _script().parse("0456 ;\t0069 ;\tMA\n")


def test_the_committed_table_names_its_source_and_parses() -> None:
    text = (ROOT / "src" / "p0gate" / "_data" / "confusables.tsv").read_text("utf-8")
    assert re.search(r"^# Version: \d+\.\d+\.\d+; Date: .+$", text, re.MULTILINE)
    assert re.search(r"^# sha256 of the source: [0-9a-f]{64}$", text, re.MULTILINE)
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    assert len(rows) > 6000 and all(len(row) == 2 for row in rows)
    assert ["0456", "0069"] in rows and ["0049", "006C"] in rows
    codes = [int(row[0], 16) for row in rows]
    assert codes == sorted(set(codes))
