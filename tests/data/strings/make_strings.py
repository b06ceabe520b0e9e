"""Write the ui-strings test files (.po via polib, the gettext library p0gate reads with).

    .venv/bin/python tests/data/strings/make_strings.py

When GNU gettext's msgfmt is installed it confirms that es.po is valid and broken.po is not
(broken.po and strings.xml are hand-written, as translators and Android developers write them).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent

CLEAN = {
    "crisis": {
        "title": "You are not alone",
        "call": "Call or text 988, or chat at 988lifeline.org",
        "options": ["Veterans, press 1", "Para español, oprima 2"],
    },
    "home": {"greeting": "Good morning", "practice": "Your breathing space is ready"},
    "stories": {"loss": "Sam's brother died by suicide in 2019."},
}


def bad() -> dict[str, object]:
    doc = json.loads(json.dumps(CLEAN))
    doc["crisis"]["options"].append("LGBTQ+ youth, press 3")
    doc["stories"]["loss"] = "Sam's brother Committed\nSuicide in 2019."
    doc["stories"]["news"] = "A suicide epidemic? Rates are skyrocketing."
    return doc


def po(entries: list[tuple[str | None, str, str]]) -> polib.POFile:
    catalog = polib.POFile()
    catalog.metadata = {
        "Project-Id-Version": "p0-cloud 1.4", "PO-Revision-Date": "2025-09-20 10:00+0000",
        "Last-Translator": "Localization <l10n@p0-cloud.example>",
        "Language-Team": "Spanish <l10n@p0-cloud.example>", "Language": "es",
        "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit", "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    for context, msgid, msgstr in entries:
        catalog.append(polib.POEntry(msgctxt=context, msgid=msgid, msgstr=msgstr))
    plural = polib.POEntry(msgid="%d day", msgid_plural="%d days",
                           msgstr_plural={0: "%d día", 1: "%d días"})
    catalog.append(plural)
    return catalog


def main() -> None:
    (HERE / "en.json").write_text(json.dumps(CLEAN, indent=2, ensure_ascii=False) + "\n")
    (HERE / "en-bad.json").write_text(json.dumps(bad(), indent=2, ensure_ascii=False) + "\n")
    po([("crisis", "Call or text 988", "Llama o envía un mensaje de texto al 988"),
        (None, "He committed suicide", ""),
        (None, "Good morning", "Buenos días")]).save(str(HERE / "es.po"))
    print("wrote en.json, en-bad.json, es.po")
    if shutil.which("msgfmt"):
        for name, valid in (("es.po", True), ("broken.po", False)):
            run = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(HERE / name)],
                                 capture_output=True, text=True, check=False)
            assert (run.returncode == 0) is valid, run.stderr
        print("msgfmt --check: es.po valid, broken.po refused")


if __name__ == "__main__":
    main()
