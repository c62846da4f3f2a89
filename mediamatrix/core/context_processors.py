from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    ("units", _("单位")),
    ("accounts", _("账号")),
    ("grid-groups", _("网格群")),
    ("registry-health", _("登记检查")),
    ("imports", _("批量导入")),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    current = request.resolver_match.url_name if request.resolver_match else ""
    items = []
    for name, label in NAVIGATION:
        url = reverse(f"orgs:{name}")
        items.append(
            {"url": url, "label": label, "active": bool(current and current.startswith(name))}
        )
    return {"nav_items": items}
