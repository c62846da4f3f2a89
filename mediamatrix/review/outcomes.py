"""Which decisions stand: what indices, health lists and credit records count against a unit.

A decision stands when it restricts (correction, takedown, warning) and no appeal reversed it.
The record of an upheld appeal repeats the original decision and is not counted again.
"""

from django.db.models import QuerySet

from mediamatrix.review.choices import AppealOutcome, DecisionKind
from mediamatrix.review.models import Decision

STANDING_KINDS = (DecisionKind.CORRECTION, DecisionKind.TAKEDOWN, DecisionKind.WARNING)
# A serious wrong statement (严重表述错误) is a single-veto item of the inspection criteria.
SERIOUS_ERROR_GROUND = "Q-ERROR"


def standing_decisions() -> QuerySet[Decision]:
    return (
        Decision.objects.filter(kind__in=STANDING_KINDS, appeal__isnull=True)
        .exclude(appeal_of__outcome_decision__appeal_outcome=AppealOutcome.REVERSED)
        .order_by()
    )


def serious_errors() -> QuerySet[Decision]:
    """Standing decisions on the serious-error ground that cite a high-severity finding."""
    return (
        standing_decisions()
        .filter(local_ground=SERIOUS_ERROR_GROUND, cited__severity="high")
        .distinct()
    )
