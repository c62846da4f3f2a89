from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    ("orgs:units", _("单位")),
    ("orgs:accounts", _("账号")),
    ("orgs:grid-groups", _("网格群")),
    ("ingestion:posts", _("稿件")),
    ("review:queue", _("审核")),
    ("indices:rankings", _("排行")),
    ("indices:health", _("巡查")),
    ("indices:bulletins", _("通报")),
    ("notices:inbox", _("消息")),
    ("ingestion:import-centre", _("数据采集")),
    ("ingestion:sources", _("采集源")),
    ("orgs:registry-health", _("登记检查")),
    ("orgs:imports", _("批量导入")),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    match = request.resolver_match
    current = f"{match.namespace}:{match.url_name}" if match else ""
    items = []
    for name, label in NAVIGATION:
        # "orgs:accounts" is active on "orgs:accounts" and "orgs:account-detail" alike.
        stem = name.rstrip("s")
        items.append(
            {
                "url": reverse(name),
                "label": label,
                "active": current.startswith(stem),
                "badge": _badges[name](request.user) if name in _badges else 0,
            }
        )
    return {"nav_items": items}


# A count shown beside a menu entry (unread notices …), registered by the app that owns it.
_badges: dict[str, Callable[[Any], int]] = {}


def register_badge(url_name: str, count: Callable[[Any], int]) -> None:
    _badges[url_name] = count
