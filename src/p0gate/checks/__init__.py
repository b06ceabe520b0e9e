"""Check types: one module per type, one line per type in ``CHECKS``.

The policy schema, the CLI's lists and the docs derive from this tuple; a test fails when a
check module is not registered here.
"""

from __future__ import annotations

from p0gate.checks.accessibility import AccessibilityCheck
from p0gate.checks.assessment import AssessmentAccuracyCheck
from p0gate.checks.base import CheckParams
from p0gate.checks.count import CountCheck
from p0gate.checks.document import DocumentCheck
from p0gate.checks.exceedance import ExceedanceCheck
from p0gate.checks.expr import ExprCheck
from p0gate.checks.findings import FindingsCheck
from p0gate.checks.freshness import FreshnessCheck
from p0gate.checks.language import LanguageCheck
from p0gate.checks.metric import MetricCheck
from p0gate.checks.prior_phase import PriorPhaseCheck
from p0gate.checks.regression import RegressionCheck
from p0gate.checks.signoff import SignoffCheck
from p0gate.checks.statistic import StatisticCheck
from p0gate.checks.tests import TestsCheck

CHECKS: tuple[type[CheckParams], ...] = (
    StatisticCheck,
    ExceedanceCheck,
    MetricCheck,
    TestsCheck,
    CountCheck,
    FreshnessCheck,
    DocumentCheck,
    RegressionCheck,
    AccessibilityCheck,
    AssessmentAccuracyCheck,
    LanguageCheck,
    FindingsCheck,
    ExprCheck,
    SignoffCheck,
    PriorPhaseCheck,
)


def check_type_name(cls: type[CheckParams]) -> str:
    """The ``type`` literal a check class answers to."""
    annotation = cls.model_fields["type"].annotation
    return str(annotation.__args__[0])  # type: ignore[union-attr]
