"""Deciding cases, the unit's answers, appeals and their outcomes: every step a new record.

Who may act: reviewers (and admins) of the post's unit or above decide (Action.REVIEW); the
account's unit answers and appeals (Action.RESPOND). An appeal is decided by a reviewer other
than the one who made the decision. Each step is audited and the unit is told.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mediamatrix.core.audit import audit_record
from mediamatrix.orgs.access import Action, can
from mediamatrix.review.choices import (
    AppealOutcome,
    DecisionKind,
    ItemStatus,
    ResponseKind,
)
from mediamatrix.review.grounds import BY_CODE
from mediamatrix.review.models import Appeal, Decision, ReviewItem, UnitResponse
from mediamatrix.review.notices import announce
from mediamatrix.review.statements import SCHEMA_VERSION, build_statement


def _require(actor: Any, path: str, action: Action) -> None:
    if not can(actor, path, action):
        raise PermissionDenied


def decision_make(
    *,
    actor: Any,
    item: ReviewItem,
    kind: str,
    ground: str,
    explanation: str,
    cited_ids: Sequence[int] = (),
    deadline: datetime | None = None,
) -> Decision:
    """Decide an open case. Dismissal closes it; any other decision waits for the unit."""
    _require(actor, item.owner_path, Action.REVIEW)
    errors = _validate(kind=kind, ground=ground, explanation=explanation, deadline=deadline)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        item = ReviewItem.objects.select_for_update().get(pk=item.pk)
        if item.status != ItemStatus.OPEN:
            raise ValidationError(_("该事项已处理，不能重复决定。"))
        decision = _record(
            actor=actor,
            item=item,
            kind=kind,
            ground=ground,
            explanation=explanation,
            cited_ids=cited_ids,
            deadline=deadline,
        )
        item.status = ItemStatus.CLOSED if kind == DecisionKind.DISMISS else ItemStatus.DECIDED
        item.save(update_fields=["status", "updated_at"])
        if kind != DecisionKind.DISMISS:
            announce(decision, "decision")
    return decision


def _validate(
    *, kind: str, ground: str, explanation: str, deadline: datetime | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in DecisionKind.values:
        errors["kind"] = _("请选择处理决定。")
    if not explanation.strip():
        errors["explanation"] = _("请写明理由：引用的事实、依据和结论。")
    if kind != DecisionKind.DISMISS and ground not in BY_CODE:
        errors["ground"] = _("请选择依据条款。")
    if kind == DecisionKind.CORRECTION and deadline is None:
        errors["deadline"] = _("责令更正须设定整改期限。")
    if deadline is not None and deadline <= timezone.now():
        errors["deadline"] = _("整改期限须晚于当前时间。")
    return errors


def _record(
    *,
    actor: Any,
    item: ReviewItem,
    kind: str,
    ground: str,
    explanation: str,
    cited_ids: Sequence[int],
    deadline: datetime | None,
    appeal: Appeal | None = None,
    outcome: str = "",
) -> Decision:
    cited = list(item.findings.filter(pk__in=list(cited_ids)))
    now = timezone.now()
    statement = build_statement(
        kind=kind,
        ground_code=ground,
        explanation=explanation.strip(),
        post=item.post,
        cited=cited,
        decided_at=now,
        deadline=deadline,
    )
    decision = Decision.objects.create(
        item=item,
        post=item.post,
        owner_path=item.owner_path,
        kind=kind,
        actor=actor,
        decided_at=now,
        explanation=explanation.strip(),
        local_ground=ground if ground in BY_CODE else "",
        deadline=deadline,
        statement=statement,
        schema_version=SCHEMA_VERSION,
        appeal=appeal,
        appeal_outcome=outcome,
    )
    decision.cited.set(cited)
    audit_record(
        actor=actor,
        verb="review_decide" if appeal is None else "review_appeal_decide",
        obj=decision,
        after={"kind": kind, "ground": ground, "cited": [f.pk for f in cited], "outcome": outcome},
        reason=explanation.strip(),
        unit_path=item.owner_path,
    )
    return decision


def response_submit(
    *, actor: Any, decision: Decision, kind: str, text: str, link: str = ""
) -> UnitResponse:
    """The unit's answer to a decision: a reply, or word that it corrected or removed the post."""
    _require(actor, decision.owner_path, Action.RESPOND)
    if kind not in (ResponseKind.REPLY, ResponseKind.CORRECTED, ResponseKind.REMOVED):
        raise ValidationError({"kind": _("请选择回复类型。")})
    if not text.strip():
        raise ValidationError({"text": _("请填写回复内容。")})
    with transaction.atomic():
        response = UnitResponse.objects.create(
            decision=decision, kind=kind, text=text.strip(), link=link, actor=actor
        )
        audit_record(
            actor=actor,
            verb="review_respond",
            obj=response,
            after={"kind": kind, "link": link},
            reason=text.strip(),
            unit_path=decision.owner_path,
        )
    return response


def appeal_file(*, actor: Any, decision: Decision, text: str) -> Appeal:
    """Appeal a decision (not a dismissal, not an appeal outcome); once per decision."""
    _require(actor, decision.owner_path, Action.RESPOND)
    if not text.strip():
        raise ValidationError({"text": _("请写明申诉理由。")})
    if decision.kind == DecisionKind.DISMISS or decision.appeal_id is not None:
        raise ValidationError(_("该决定不能申诉。"))
    with transaction.atomic():
        item = ReviewItem.objects.select_for_update().get(pk=decision.item_id)
        if Appeal.objects.filter(decision=decision).exists():
            raise ValidationError(_("该决定已经申诉过。"))
        response = UnitResponse.objects.create(
            decision=decision, kind=ResponseKind.APPEAL, text=text.strip(), actor=actor
        )
        appeal = Appeal.objects.create(
            decision=decision, response=response, owner_path=decision.owner_path
        )
        item.status = ItemStatus.APPEALED
        item.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            verb="review_appeal",
            obj=appeal,
            reason=text.strip(),
            unit_path=decision.owner_path,
        )
    return appeal


def appeal_decide(*, actor: Any, appeal: Appeal, outcome: str, explanation: str) -> Decision:
    """Uphold or reverse the decision appealed against; a different reviewer decides."""
    original = appeal.decision
    _require(actor, original.owner_path, Action.REVIEW)
    if actor.pk == original.actor_id:
        raise PermissionDenied(_("申诉须由作出原决定以外的审核人处理。"))
    if outcome not in AppealOutcome.values:
        raise ValidationError({"outcome": _("请选择申诉结果。")})
    if not explanation.strip():
        raise ValidationError({"explanation": _("请写明理由。")})
    with transaction.atomic():
        item = ReviewItem.objects.select_for_update().get(pk=original.item_id)
        if item.status != ItemStatus.APPEALED or Decision.objects.filter(appeal=appeal).exists():
            raise ValidationError(_("该申诉已处理。"))
        upheld = outcome == AppealOutcome.UPHELD
        decision = _record(
            actor=actor,
            item=item,
            kind=original.kind if upheld else DecisionKind.DISMISS,
            ground=original.local_ground if upheld else "",
            explanation=explanation,
            cited_ids=list(original.cited.values_list("pk", flat=True)) if upheld else [],
            deadline=original.deadline if upheld else None,
            appeal=appeal,
            outcome=outcome,
        )
        item.status = ItemStatus.CLOSED
        item.save(update_fields=["status", "updated_at"])
        announce(decision, "appeal_outcome")
    return decision


def item_assign(*, actor: Any, item: ReviewItem, reviewer: Any) -> ReviewItem:
    _require(actor, item.owner_path, Action.REVIEW)
    if reviewer is not None and not can(reviewer, item.owner_path, Action.REVIEW):
        raise ValidationError({"reviewer": _("该用户无权审核此事项。")})
    with transaction.atomic():
        before = item.assigned_to_id
        item.assigned_to = reviewer
        item.save(update_fields=["assigned_to", "updated_at"])
        audit_record(
            actor=actor,
            verb="review_assign",
            obj=item,
            before={"assigned_to": before},
            after={"assigned_to": reviewer.pk if reviewer else None},
            unit_path=item.owner_path,
        )
    return item
