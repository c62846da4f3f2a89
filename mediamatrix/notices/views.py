"""The inbox (phone-friendly) and the unit's channel settings. Thin: selectors, services, render.

Opening a notice marks it read for this user and goes to the object it is about. The channel
settings of a unit are for those who may edit the unit (Action.EDIT_UNIT): others get 403, or
404 for a unit they cannot see.
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mediamatrix.core.forms import add_service_errors
from mediamatrix.notices import services
from mediamatrix.notices.channels import channel_label
from mediamatrix.notices.forms import ChannelConfigForm
from mediamatrix.notices.selectors import (
    channel_config_get,
    channel_config_list,
    channel_units,
    channel_upstream_list,
    delivery_list,
    inbox_can_widen,
    notice_get,
    notice_list,
)
from mediamatrix.orgs.access import Action
from mediamatrix.orgs.models import Unit
from mediamatrix.orgs.selectors import unit_get

PAGE_SIZE = 20


def _inbox_url(subtree: bool) -> str:
    return reverse("notices:inbox") + ("?scope=subtree" if subtree else "")


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    can_widen = inbox_can_widen(user)
    subtree = can_widen and request.GET.get("scope") == "subtree"
    unread = request.GET.get("unread") == "1"
    notices = notice_list(user, subtree=subtree, unread=unread)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {"scope": "subtree"} if subtree else {}
    if unread:
        query["unread"] = "1"
    context = {
        "page": page,
        "subtree": subtree,
        "unread": unread,
        "can_widen": can_widen,
        "unread_total": notice_list(user, subtree=subtree, unread=True).count(),
        "query": urlencode(query),
    }
    return render(request, "notices/inbox.html", context)


@login_required
def notice_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    notice = notice_get(request.user, pk)
    services.notice_mark_read(actor=request.user, notice=notice)
    if notice.site_link:
        return redirect(notice.site_link)
    return redirect("notices:detail", pk=notice.pk)


@login_required
def notice_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    notice = notice_get(request.user, pk)
    services.notice_mark_read(actor=request.user, notice=notice)
    return render(request, "notices/detail.html", {"notice": notice})


@login_required
@require_POST
def mark_all_read_view(request: HttpRequest) -> HttpResponse:
    subtree = request.POST.get("scope") == "subtree" and inbox_can_widen(request.user)
    marked = services.notices_mark_read(
        actor=request.user, notices=notice_list(request.user, subtree=subtree)
    )
    messages.success(request, _("已将 %(count)d 条通知标为已读。") % {"count": marked})
    return redirect(_inbox_url(subtree))


# Channel settings --------------------------------------------------------------------------------


def _channels_url(unit: Unit) -> str:
    return reverse("notices:channels") + f"?unit={unit.pk}"


def _chosen_unit(request: HttpRequest, units: list[Unit]) -> Unit:
    chosen = request.GET.get("unit") or request.POST.get("unit")
    if chosen:
        if not str(chosen).isdigit():
            raise Http404
        return unit_get(request.user, chosen, Action.EDIT_UNIT)
    if not units:
        raise PermissionDenied
    return units[0]


@login_required
def channels_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    units = list(channel_units(user).order_by("path")[:100])
    unit = _chosen_unit(request, units)
    form = ChannelConfigForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.channel_config_create(actor=user, unit=unit, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已添加通知通道。可以点“发送测试消息”检查是否收到。"))
            return redirect(_channels_url(unit))
    context: dict[str, Any] = {
        "unit": unit,
        "units": units if unit in units else [*units, unit],
        "rows": [(c, channel_label(c.channel)) for c in channel_config_list(user, unit)],
        "upstream": [(c, channel_label(c.channel)) for c in channel_upstream_list(unit)],
        "deliveries": delivery_list(user, unit),
        "form": form,
    }
    return render(request, "notices/channels.html", context)


@login_required
@require_POST
def channel_test_view(request: HttpRequest, pk: int) -> HttpResponse:
    config = channel_config_get(request.user, pk)
    error = services.channel_config_test(actor=request.user, config=config)
    if error:
        messages.error(request, _("测试消息发送失败：%(error)s") % {"error": error})
    else:
        messages.success(request, _("测试消息已发送，请在对应的邮箱或群里查看。"))
    return redirect(_channels_url(config.unit))


@login_required
@require_POST
def channel_enable_view(request: HttpRequest, pk: int) -> HttpResponse:
    config = channel_config_get(request.user, pk)
    enabled = request.POST.get("enabled") == "1"
    services.channel_config_set_enabled(actor=request.user, config=config, enabled=enabled)
    messages.success(request, _("已启用通知通道。") if enabled else _("已停用通知通道。"))
    return redirect(_channels_url(config.unit))
