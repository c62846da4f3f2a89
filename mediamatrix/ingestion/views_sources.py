"""Pull-source pages: every source with its health, one source with its runs, forms, pull now.

Thin: parse the request, call a selector or a service, render. Anyone who can see an account sees
its sources; changing them and pulling now needs Action.EDIT_ACCOUNT.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mediamatrix.core.forms import add_service_errors
from mediamatrix.ingestion import services
from mediamatrix.ingestion.connectors import Connector, all_connectors, get
from mediamatrix.ingestion.forms_sources import SourceFilterForm, SourceForm
from mediamatrix.ingestion.models import Source
from mediamatrix.ingestion.selectors import (
    PostFilters,
    import_run_list,
    post_list,
    source_get,
    source_list,
)
from mediamatrix.ingestion.services.sources_admin import pull_connector
from mediamatrix.orgs.access import Action, can, can_unowned, scope_roots
from mediamatrix.orgs.selectors import account_get

PAGE_SIZE = 50
RECENT_RUNS = 20
RECENT_POSTS = 10


def _may_edit(user: Any, source: Source) -> bool:
    if not source.owner_path:
        return can_unowned(user, Action.EDIT_ACCOUNT)
    return can(user, source.owner_path, Action.EDIT_ACCOUNT)


def _may_create(user: Any) -> bool:
    return scope_roots(user, Action.EDIT_ACCOUNT) != []


def _connector(name: str) -> Connector | None:
    try:
        return get(name)
    except LookupError:  # a source of a connector that is no longer installed
        return None


@login_required
def source_list_view(request: HttpRequest) -> HttpResponse:
    form = SourceFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    sources = source_list(request.user)
    if data.get("status"):
        sources = sources.filter(status=data["status"])
    if data.get("connector"):
        sources = sources.filter(connector=data["connector"])
    page = Paginator(sources.order_by("owner_path", "name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    labels = {c.name: c.label for c in all_connectors()}
    rows = [
        (source, labels.get(source.connector, source.connector), _may_edit(request.user, source))
        for source in page.object_list
    ]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": urlencode({k: v for k, v in request.GET.items() if v and k != "page"}),
        "connectors": list(all_connectors("pull")) if _may_create(request.user) else [],
    }
    return render(request, "ingestion/source_list.html", context)


@login_required
def source_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    source = source_get(user, pk)
    connector = _connector(source.connector)
    runs = import_run_list(user).filter(source=source)
    posts = post_list(user, PostFilters(account_id=source.account_id)).filter(
        source=source.connector
    )
    context = {
        "source": source,
        "connector": connector,
        "config": [
            (label, source.config.get(key, ""))
            for key, label in (connector.config_fields if connector else ())
        ],
        "needs_secret": connector.needs_secret if connector else False,
        "runs": runs[:RECENT_RUNS],
        "posts": posts[:RECENT_POSTS],
        "can_edit": _may_edit(user, source),
    }
    return render(request, "ingestion/source_detail.html", context)


def _form_page(
    request: HttpRequest,
    form: SourceForm,
    *,
    title: str,
    perform: Callable[[SourceForm], Source],
    done: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            source = perform(form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(source)
    context = {"form": form, "title": title, "connector": form.connector, "source": form.source}
    return render(request, "ingestion/source_form.html", context)


@login_required
def source_create_view(request: HttpRequest, connector: str) -> HttpResponse:
    user = request.user
    try:
        pulls = pull_connector(connector)
    except ValidationError:
        raise Http404 from None
    if not _may_create(user):
        raise PermissionDenied
    initial: dict[str, Any] = {}
    if request.GET.get("account"):
        account = account_get(user, request.GET["account"], Action.EDIT_ACCOUNT)
        initial = {"account": account, "name": f"{account.name} · {pulls.label}"}
    form = SourceForm(request.POST or None, user=user, connector=pulls, initial=initial)

    def create(form: SourceForm) -> Source:
        data = form.cleaned_data
        return services.source_create(
            actor=user,
            account=data["account"],
            connector=pulls.name,
            name=data["name"],
            config=form.config(),
            secret=data.get("secret", ""),
            interval_minutes=data["interval_minutes"],
        )

    return _form_page(
        request,
        form,
        title=_("新建采集源：%s") % pulls.label,
        perform=create,
        done=_("已创建采集源，将在几分钟内首次采集。"),
    )


@login_required
def source_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    source = source_get(user, pk, Action.EDIT_ACCOUNT)
    try:
        pulls = pull_connector(source.connector)
    except ValidationError:
        raise Http404 from None
    form = SourceForm(request.POST or None, user=user, connector=pulls, source=source)

    def update(form: SourceForm) -> Source:
        data = form.cleaned_data
        return services.source_update(
            actor=user,
            source=source,
            name=data["name"],
            config=form.config(),
            secret=data.get("secret", ""),
            interval_minutes=data["interval_minutes"],
        )

    return _form_page(
        request, form, title=_("编辑采集源：%s") % source.name, perform=update, done=_("已保存。")
    )


@login_required
@require_POST
def source_pull_view(request: HttpRequest, pk: int) -> HttpResponse:
    source = source_get(request.user, pk, Action.EDIT_ACCOUNT)
    try:
        services.source_pull_now(actor=request.user, source=source)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("已加入采集队列，结果见下方的采集记录。"))
    return redirect(source)


@login_required
@require_POST
def source_enable_view(request: HttpRequest, pk: int) -> HttpResponse:
    source = source_get(request.user, pk, Action.EDIT_ACCOUNT)
    enabled = request.POST.get("enabled") == "1"
    services.source_set_enabled(actor=request.user, source=source, enabled=enabled)
    messages.success(request, _("已启用，即将采集。") if enabled else _("已停用，不再定时采集。"))
    return redirect(source)
