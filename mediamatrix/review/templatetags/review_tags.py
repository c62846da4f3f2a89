"""Labels for the review pages' codes (finding categories, grounds)."""

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from mediamatrix.review.forms import CATEGORY_LABELS
from mediamatrix.review.grounds import BY_CODE

register = template.Library()


@register.filter
def category_label(code: str) -> Any:
    return CATEGORY_LABELS.get(code, code)


@register.filter
def ground_label(code: str) -> Any:
    ground = BY_CODE.get(code)
    return ground.label if ground else code


AUDIT_VERBS = {
    "review_item_open": _("进入审核队列"),
    "review_assign": _("分配审核人"),
    "review_decide": _("作出决定"),
    "review_respond": _("单位回复"),
    "review_appeal": _("提出申诉"),
    "review_appeal_decide": _("处理申诉"),
}


@register.filter
def audit_verb(verb: str) -> Any:
    return AUDIT_VERBS.get(verb, verb)


@register.filter
def web_url(url: Any) -> str:
    """A link target only when it is a web address (never javascript: or data:)."""
    text = str(url or "")
    return text if text.startswith(("https://", "http://")) else ""
