"""Find the report templates and render them with Jinja2.

The templates live in the top-level ``templates/`` folder of a checkout; an installed wheel
carries a copy at ``p0gate/_data/templates``. ``P0GATE_TEMPLATES`` is not read here: the core
never reads the environment.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from p0gate.errors import OutputError
from p0gate.formats import chart, matrix, view
from p0gate.formats.base import PLAIN, ReportContext

if TYPE_CHECKING:
    import jinja2

    from p0gate.result import Result

CHECKOUT = Path(__file__).resolve().parents[3] / "templates"


def templates_dir() -> Path:
    """The checkout's ``templates/`` when it exists, else the wheel's packaged copy."""
    if (CHECKOUT / "report.html.j2").is_file():
        return CHECKOUT
    packaged = Path(str(resources.files("p0gate") / "_data" / "templates"))
    if (packaged / "report.html.j2").is_file():
        return packaged
    raise OutputError(
        f"report templates not found (looked in {CHECKOUT} and {packaged}); reinstall p0gate"
    )


@cache
def environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        value=view.value,
        label=view.label,
        measured_items=view.measured_items,
        required_items=view.required_items,
        chart=chart.chart,
        history_chart=chart.history_chart,
        by_authority=view.by_authority,
        authority_title=view.authority_title,
        authority_counts=view.authority_counts,
        needing_attention=view.needing_attention,
        failing_first=view.failing_first,
        matrices=matrix.matrices,
        signoff_rows=view.signoff_rows,
        evidence_register=view.evidence_register,
        system_line=view.system_line,
        gate_line=view.gate_line, skipped_line=view.skipped_line,
        counts_line=view.counts_line,
        outcomes=view.OUTCOMES,
    )
    env.filters["nb"] = view.unbroken
    return env


def render(name: str, result: Result, context: ReportContext = PLAIN) -> str:
    """Render template ``name`` for ``result`` (the PDF's signer and the ledger's history
    come from ``context``)."""
    gates = list(dict.fromkeys(p.gate for p in context.history))
    return environment().get_template(name).render(
        r=result, signing=context.signing, history=context.history, gates=gates)
