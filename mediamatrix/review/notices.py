"""Telling the account's unit about a decision on its post, or about the outcome of its appeal.

The notice states the decision, the ground, the reasons, the deadline, the cited findings and
how to respond or appeal, in the site's language (the unit reads it, whatever language the
reviewer's pages were in). Announcing one event twice makes one notice (dedupe key).
"""

from datetime import datetime

from django.conf import settings
from django.urls import NoReverseMatch
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mediamatrix.core.tree import path_ids
from mediamatrix.notices.services import notify
from mediamatrix.orgs.models import Unit
from mediamatrix.review.choices import AppealOutcome, DecisionKind
from mediamatrix.review.grounds import BY_CODE
from mediamatrix.review.models import Decision

TITLE_IN_SUBJECT = 60


def announce(decision: Decision, event: str) -> None:
    """Notify the unit that owns the post's account; `event` is "decision" or "appeal_outcome"."""
    unit = _recipient(decision)
    if unit is None:  # an account without an owner, in no unit's subtree: nobody to tell
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _subject(decision, event)
        body = _body(decision, event)
    notify(
        unit=unit,
        subject=subject,
        body=body,
        link=_link(decision),
        verb=f"review.{event}",
        obj=decision,
        dedupe_key=f"review.{event}:{decision.pk}",
    )


def _recipient(decision: Decision) -> Unit | None:
    owner = decision.post.account.owner
    if owner is not None:
        return owner
    if not decision.owner_path:
        return None
    return Unit.objects.filter(pk=path_ids(decision.owner_path)[0]).first()


def _link(decision: Decision) -> str:
    try:
        return decision.get_absolute_url()
    except NoReverseMatch:  # the decision page belongs to a later part of the review app
        return ""


def _title(decision: Decision) -> str:
    title = " ".join(decision.post.title.split())
    return title if len(title) <= TITLE_IN_SUBJECT else title[: TITLE_IN_SUBJECT - 1] + "…"


def _subject(decision: Decision, event: str) -> str:
    if event == "appeal_outcome":
        return _("【申诉结果】《%(title)s》：%(outcome)s") % {
            "title": _title(decision),
            "outcome": decision.get_appeal_outcome_display(),
        }
    return _("【内容审核】《%(title)s》：%(kind)s") % {
        "title": _title(decision),
        "kind": decision.get_kind_display(),
    }


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _body(decision: Decision, event: str) -> str:
    post = decision.post
    lines = [
        _("账号：%(account)s") % {"account": post.account},
        _("稿件：《%(title)s》（发布于 %(published)s）")
        % {"title": post.title, "published": _local(post.published_at)},
    ]
    if event == "appeal_outcome":
        lines.append(
            _("申诉复核结果：%(outcome)s") % {"outcome": decision.get_appeal_outcome_display()}
        )
    if decision.kind != DecisionKind.DISMISS:
        lines.append(_("处理决定：%(kind)s") % {"kind": decision.get_kind_display()})
    ground = BY_CODE.get(decision.local_ground)
    if ground is not None:
        lines.append(
            _("依据：%(law)s（%(label)s）") % {"law": ground.legal_text, "label": ground.label}
        )
    lines.append(_("理由：%(explanation)s") % {"explanation": decision.explanation})
    if decision.deadline is not None and decision.kind != DecisionKind.DISMISS:
        lines.append(_("整改期限：%(deadline)s 前") % {"deadline": _local(decision.deadline)})
    cited = list(decision.cited.order_by("field", "start", "pk"))
    if cited:
        lines.append(_("引用的问题："))
        lines.extend(
            f"{number}. “{finding.excerpt}”：{finding.message}"
            for number, finding in enumerate(cited, start=1)
        )
    lines.append(_how_to_respond(decision, event))
    return "\n".join(lines)


RESPONSES: dict[str, Promise] = {
    DecisionKind.CORRECTION: gettext_lazy(
        "请在整改期限前更正稿件，并在平台上回复“已更正”（附更正后的链接）。"
    ),
    DecisionKind.TAKEDOWN: gettext_lazy("请尽快删除该稿件，并在平台上回复“已删除”。"),
    DecisionKind.WARNING: gettext_lazy("请引以为戒，可在平台上回复说明情况。"),
    DecisionKind.ESCALATE: gettext_lazy("该问题已上报上级单位处理，可在平台上回复说明情况。"),
}


def _how_to_respond(decision: Decision, event: str) -> str:
    if event == "appeal_outcome":
        if decision.appeal_outcome == AppealOutcome.REVERSED:
            return _("原决定已撤销，无需整改。")
        return _("办理方式：%(todo)s申诉复核结果为最终决定，不能再次申诉。") % {
            "todo": RESPONSES.get(decision.kind, "")
        }
    return _("办理方式：%(todo)s对决定有异议的，可在平台上提出申诉（每个决定可申诉一次）。") % {
        "todo": RESPONSES.get(decision.kind, "")
    }
