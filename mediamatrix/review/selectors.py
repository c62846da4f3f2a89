"""Scoped reads of the review app: the queue, one case and its history, decisions, rule precision.

Every read starts from the user's VIEW subtrees (`owner_path`); a case or decision outside them
is a 404, like a missing one.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404

from mediamatrix.core.models import AuditEvent
from mediamatrix.core.tree import SEGMENT_WIDTH, subtree_q
from mediamatrix.orgs.access import EVERYWHERE, Action, access_object, can_unowned, scope_roots
from mediamatrix.orgs.choices import Role
from mediamatrix.orgs.models import Membership, Unit
from mediamatrix.review.choices import AppealOutcome, DecisionKind, ItemStatus, ResponseKind
from mediamatrix.review.models import (
    SEVERITY_RANK,
    Appeal,
    CheckFinding,
    CheckRun,
    Debunk,
    Decision,
    ReviewItem,
    UnitResponse,
)
from mediamatrix.review.services.rechecks import outdated_posts
from mediamatrix.users.models import User


def _scoped(
    qs: QuerySet[Any], user: Any, field: str = "owner_path", action: Action = Action.VIEW
) -> QuerySet[Any]:
    roots = scope_roots(user, action)
    if roots is EVERYWHERE:
        return qs
    visible = subtree_q(field, roots)
    if can_unowned(user, action):
        visible |= Q(**{field: ""})
    return qs.filter(visible)


# The queue ------------------------------------------------------------------------------------

ASSIGNED_ME = "me"
ASSIGNED_NONE = "none"


@dataclass(frozen=True)
class QueueFilters:
    within: Unit | None = None
    check: str = ""  # a check name (the part of the rule id before the dot)
    category: str = ""
    severity: str = ""  # the case's worst severity
    status: str = ItemStatus.OPEN  # "" for every status
    assigned: str = ""  # ASSIGNED_ME, ASSIGNED_NONE or "" for anyone


def _severity_rank() -> Case:
    return Case(
        *(When(severity=name, then=Value(rank)) for name, rank in SEVERITY_RANK.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


def item_list(user: Any, filters: QueueFilters | None = None) -> QuerySet[ReviewItem]:
    """Cases in sight, worst first and oldest first within a severity, with their finding count."""
    f = filters or QueueFilters()
    qs = _filtered_items(user, f)
    if f.status:
        qs = qs.filter(status=f.status)
    return (
        qs.select_related("post", "post__account", "post__account__owner", "assigned_to")
        .defer("post__body_html", "post__body_text")
        .annotate(rank=_severity_rank(), finding_count=Count("findings"))
        .order_by("-rank", "created_at", "pk")
    )


def _filtered_items(user: Any, f: QueueFilters) -> QuerySet[ReviewItem]:
    qs = _scoped(ReviewItem.objects.all(), user)
    if f.within is not None:
        qs = qs.filter(subtree_q("owner_path", [f.within.path]))
    if f.check:
        qs = qs.filter(Exists(CheckFinding.objects.filter(item=OuterRef("pk"), check_name=f.check)))
    if f.category:
        qs = qs.filter(
            Exists(CheckFinding.objects.filter(item=OuterRef("pk"), category=f.category))
        )
    if f.severity:
        qs = qs.filter(severity=f.severity)
    if f.assigned == ASSIGNED_ME:
        qs = qs.filter(assigned_to=user)
    elif f.assigned == ASSIGNED_NONE:
        qs = qs.filter(assigned_to__isnull=True)
    return qs


def item_status_counts(user: Any, filters: QueueFilters | None = None) -> dict[str, int]:
    """Cases per status under the same filters (the status filter aside)."""
    rows = (
        _filtered_items(user, filters or QueueFilters())
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(ItemStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def item_get(user: Any, pk: Any, action: Action = Action.VIEW) -> ReviewItem:
    item = (
        ReviewItem.objects.select_related(
            "post", "post__account", "post__account__owner", "assigned_to"
        )
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404
    access_object(user, item.owner_path, action)
    return item


def items_for_action(user: Any, pks: list[int], action: Action) -> list[ReviewItem]:
    """The cases among `pks` the user may act on (bulk actions skip the others)."""
    return list(_scoped(ReviewItem.objects.filter(pk__in=pks), user, action=action))


def item_findings(item: ReviewItem) -> list[CheckFinding]:
    return list(item.findings.order_by("field", "start", "end", "pk"))


def reviewers_for(path: str) -> QuerySet[User]:
    """Active users who may decide on a case at `path`: reviewers and admins there or above."""
    ancestors = [path[:end] for end in range(SEGMENT_WIDTH, len(path) + 1, SEGMENT_WIDTH)]
    members = Membership.objects.filter(
        unit__path__in=ancestors, role__in=[Role.REVIEWER, Role.ADMIN]
    ).values("user")
    return User.objects.filter(pk__in=members, is_active=True).order_by("username")


# Evidence ------------------------------------------------------------------------------------

# Keys under which the originality checks name the earlier post (the index's document id).
EARLIER_KEYS = ("document_id", "earlier_post_id", "post_id")


def earlier_post_id(evidence: dict[str, Any]) -> int | None:
    for key in EARLIER_KEYS:
        value = str(evidence.get(key, ""))
        if value.isdigit():
            return int(value)
    return None


def earlier_posts(user: Any, findings: list[CheckFinding]) -> dict[int, Any]:
    """Earlier posts cited by originality findings, by finding id, where the user may see them."""
    from mediamatrix.ingestion.models import Post

    wanted = {
        f.pk: pid
        for f in findings
        if f.category == "originality" and (pid := earlier_post_id(f.evidence)) is not None
    }
    posts = _scoped(Post.objects.select_related("account"), user).in_bulk(set(wanted.values()))
    return {fid: posts[pid] for fid, pid in wanted.items() if pid in posts}


def debunks_for(findings: list[CheckFinding]) -> dict[int, Debunk]:
    """The library entries rumour findings matched (the evidence keeps its own copy too)."""
    wanted = {
        f.pk: int(raw)
        for f in findings
        if f.category == "rumour" and str(raw := f.evidence.get("debunk_id", "")).isdigit()
    }
    entries = Debunk.objects.in_bulk(set(wanted.values()))
    return {fid: entries[pk] for fid, pk in wanted.items() if pk in entries}


# History -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    kind: str  # run, decision, response, appeal, audit
    obj: Any
    extra: dict[str, Any] = field(default_factory=dict)


def item_history(item: ReviewItem) -> list[HistoryEntry]:
    """Everything that happened to a case, oldest first: check runs of its post, decisions,
    the unit's responses and appeals, and the audit events of each."""
    decisions = list(
        item.decisions.select_related("actor", "appeal").prefetch_related("cited").order_by("pk")
    )
    responses = list(
        UnitResponse.objects.filter(decision__item=item).select_related("actor", "decision")
    )
    appeals = list(Appeal.objects.filter(decision__item=item))
    runs = list(CheckRun.objects.filter(post=item.post_id))
    entries = [HistoryEntry(r.created_at, "run", r) for r in runs]
    entries += [HistoryEntry(d.decided_at, "decision", d) for d in decisions]
    entries += [HistoryEntry(r.created_at, "response", r) for r in responses if r.kind != "appeal"]
    entries += [HistoryEntry(a.filed_at, "appeal", a, {"response": a.response}) for a in appeals]
    entries += [HistoryEntry(e.occurred_at, "audit", e) for e in _audit_events(item)]
    order = {"run": 0, "decision": 1, "appeal": 2, "response": 3, "audit": 4}
    return sorted(entries, key=lambda e: (e.at, order[e.kind]))


def _audit_events(item: ReviewItem) -> QuerySet[AuditEvent]:
    objects = {
        "review.reviewitem": [item.pk],
        "review.decision": list(item.decisions.values_list("pk", flat=True)),
        "review.unitresponse": list(
            UnitResponse.objects.filter(decision__item=item).values_list("pk", flat=True)
        ),
        "review.appeal": list(
            Appeal.objects.filter(decision__item=item).values_list("pk", flat=True)
        ),
    }
    condition = Q(pk__in=[])
    for label, pks in objects.items():
        if pks:
            condition |= Q(object_type=label, object_id__in=[str(pk) for pk in pks])
    return AuditEvent.objects.filter(condition).select_related("actor").order_by("occurred_at")


# Decisions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionFilters:
    within: Unit | None = None
    since: datetime | None = None
    until: datetime | None = None
    kind: str = ""
    ground: str = ""


def decision_list(user: Any, filters: DecisionFilters | None = None) -> QuerySet[Decision]:
    f = filters or DecisionFilters()
    qs = _scoped(Decision.objects.all(), user)
    if f.within is not None:
        qs = qs.filter(subtree_q("owner_path", [f.within.path]))
    if f.since is not None:
        qs = qs.filter(decided_at__gte=f.since)
    if f.until is not None:
        qs = qs.filter(decided_at__lt=f.until)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.ground:
        qs = qs.filter(local_ground=f.ground)
    return qs.select_related("actor", "post", "post__account", "post__account__owner").defer(
        "post__body_html", "post__body_text"
    )


def decision_get(user: Any, pk: Any, action: Action = Action.VIEW) -> Decision:
    decision: Decision | None = (
        Decision.objects.select_related(
            "actor", "item", "post", "post__account", "post__account__owner", "appeal"
        )
        .filter(pk=pk)
        .first()
    )
    if decision is None:
        raise Http404
    access_object(user, decision.owner_path, action)
    return decision


def decision_appeal(decision: Decision) -> Appeal | None:
    """The appeal filed against this decision, with its outcome decision if there is one."""
    return (
        Appeal.objects.select_related("response", "response__actor")
        .filter(decision=decision)
        .first()
    )


def appeal_outcome(appeal: Appeal) -> Decision | None:
    return Decision.objects.select_related("actor").filter(appeal=appeal).first()


def decision_responses(decision: Decision) -> list[UnitResponse]:
    """The unit's replies and reports (its appeal is shown with the appeal)."""
    answers = decision.responses.exclude(kind=ResponseKind.APPEAL).select_related("actor")
    return list(answers.order_by("created_at", "pk"))


# Rule precision ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleOutcome:
    rule: str
    check_name: str
    confirmed: int
    rejected: int
    pending: int

    @property
    def decided(self) -> int:
        return self.confirmed + self.rejected

    @property
    def precision(self) -> float | None:
        return self.confirmed / self.decided if self.decided else None

    @property
    def precision_percent(self) -> float | None:
        return None if self.precision is None else round(self.precision * 100, 1)


def rule_outcomes(user: Any) -> list[RuleOutcome]:
    """Per rule: findings that reviewers confirmed, rejected, or have not decided yet.

    A finding of a decided case is confirmed when a restricting decision cites it (and no
    appeal reversed that decision), rejected otherwise (a dismissal, or not cited). One grouped
    query over the findings in sight; the two conditions are correlated subqueries.
    """
    through = Decision.cited.through
    confirmed = Exists(
        through.objects.filter(checkfinding_id=OuterRef("pk"), decision__appeal__isnull=True)
        .exclude(decision__kind=DecisionKind.DISMISS)
        .exclude(decision__appeal_of__outcome_decision__appeal_outcome=AppealOutcome.REVERSED)
    )
    decided = Exists(Decision.objects.filter(item_id=OuterRef("item_id"), appeal__isnull=True))
    rows = (
        _scoped(CheckFinding.objects.filter(item__isnull=False), user)
        .annotate(is_confirmed=confirmed, is_decided=decided)
        .values("rule", "check_name")
        .annotate(
            confirmed=Count("pk", filter=Q(is_confirmed=True)),
            rejected=Count("pk", filter=Q(is_decided=True, is_confirmed=False)),
            pending=Count("pk", filter=Q(is_decided=False)),
        )
        .order_by("rule")
    )
    return [RuleOutcome(**row) for row in rows]


def outdated_post_count(user: Any) -> int:
    """Posts in the user's sight still waiting to be checked again after a rule changed."""
    return _scoped(outdated_posts(), user).count()
