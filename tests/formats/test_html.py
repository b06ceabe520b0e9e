from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from p0gate.formats.html import HtmlFormatter
from p0gate.result import Result
from tests.conftest import ROOT

AXE = ROOT / "tools" / "axe"
CHROMIUM = Path("/usr/bin/chromium")


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(page)
    return parser.tags


def test_self_contained_with_every_control(example: Result) -> None:
    page = HtmlFormatter().render(example).decode()
    found = tags(page)
    assert not [t for t, a in found if t in ("link", "script", "img", "iframe")]
    assert not re.search(r"url\(|https?://", page.split("</style>")[0])
    ids = {a.get("id") for _, a in found}
    applicable = [c.id for c in example.controls if c.outcome.value != "not_applicable"]
    assert set(applicable) <= ids
    assert example.digest in page


def test_latency_chart_is_inline_svg_with_a_title(sample: Result) -> None:
    page = HtmlFormatter().render(sample).decode()
    section = page.split('id="CR-1-LATENCY"')[1].split("</section>")[0]
    assert '<svg role="img" class="chart"' in section
    assert "<title>CR-1-LATENCY: distribution of 4000 samples" in section


def test_same_content_as_the_pdf_failing_first(sample: Result) -> None:
    from p0gate.formats.view import failing_first

    page = HtmlFormatter().render(sample).decode()
    detail = page.split('id="h-detail"')[1]
    at = [detail.index(f'id="{c.id}"') for c in failing_first(sample)]
    assert at == sorted(at)
    for heading in ("Did not pass", "Sign-offs", "Summary by authority", "Controls",
                    "Evidence", "Waivers", "Traceability: HIPAA Security Rule"):
        assert heading in page
    for statement in sample.signoffs:
        assert statement.key_fingerprint and statement.key_fingerprint in page
    assert "rate &lt;=\u00a00.1%" in page  # typed bound, with its unit


def test_text_is_escaped(sample: Result) -> None:
    evil = sample.model_copy(
        update={
            "controls": [
                sample.controls[0].model_copy(update={"message": "<script>alert(1)</script>"})
            ]
        }
    )
    page = HtmlFormatter().render(evil).decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def _axe(page: Path) -> dict[str, list[dict[str, object]]]:
    run = subprocess.run(
        ["node", str(AXE / "run-axe.js"), str(page), str(CHROMIUM)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    found: dict[str, list[dict[str, object]]] = json.loads(run.stdout)
    return found


@pytest.mark.browser
@pytest.mark.axe
@pytest.mark.parametrize("which", ["sample", "example"])
def test_axe_finds_no_serious_or_critical_violation(
    which: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if not (AXE / "node_modules" / "axe-core").is_dir():  # `make unit` installs it first
        subprocess.run(["npm", "ci", "--silent", "--prefix", str(AXE)], check=True, timeout=300)
    result: Result = request.getfixturevalue(which)
    page = tmp_path / "report.html"
    page.write_bytes(HtmlFormatter().render(result))
    found = _axe(page)
    assert found["passes"], "axe ran no rule: the page did not load"
    bad = [
        (v["id"], v["impact"])
        for v in found["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == []


def test_a_monitor_rollback_says_monitoring_and_the_escalation_path(sample: Result) -> None:
    from p0gate.result import AfterOut, EscalationOut

    watched = sample.model_copy(update={
        "mode": "monitor", "decision": "ROLLBACK",
        "escalation": [EscalationOut(to="Crisis Response Team", when="Immediate"),
                       EscalationOut(to="Executive Team", when="Within 15 minutes")]})
    page = HtmlFormatter().render(watched).decode()
    header = page.split("</header>")[0]
    assert f"{sample.gate} gate, monitoring" in header and "ROLLBACK" in header
    steps = re.findall(r"<li>(.*?)</li>", header.split('class="escalation"')[1])
    assert steps == ["Crisis Response Team: Immediate", "Executive Team: Within 15 minutes"]
    gated = sample.model_copy(update={"after": AfterOut(
        gate="beta", min_days=7, met=False, message="no decision at the beta gate")})
    header = HtmlFormatter().render(gated).decode().split("</header>")[0]
    assert "After beta</b> (7 days): NOT met, no decision at the beta gate" in header
