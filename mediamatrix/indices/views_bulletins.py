"""Bulletin pages: the archive with the form to generate one, a bulletin, its status, downloads.

Thin: parse, call a selector or a service, render. Everyone sees the bulletins of their scope;
generating needs the bulletin right on the chosen unit. Documents are streamed through
`bulletin_download_view` after the same access check, never served as static files.
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from mediamatrix.indices.bulletins.forms import BulletinFilterForm, BulletinForm, recent_periods
from mediamatrix.indices.bulletins.selectors import (
    bulletin_get,
    bulletin_list,
    bulletin_versions,
    may_generate,
)
from mediamatrix.indices.bulletins.web import web_context
from mediamatrix.indices.choices import BulletinStatus
from mediamatrix.indices.models import Bulletin
from mediamatrix.indices.services import bulletin_file_path, bulletin_generate
from mediamatrix.indices.services.bulletins import CONTENT_TYPES

PAGE_SIZE = 30
FINISHED = (BulletinStatus.DONE, BulletinStatus.FAILED)


def _redirect_to(request: HttpRequest, bulletin: Bulletin) -> HttpResponse:
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = bulletin.get_absolute_url()
        return response
    return redirect(bulletin)


@login_required
def bulletin_list_view(request: HttpRequest) -> HttpResponse:
    allowed = may_generate(request.user)
    form: BulletinForm | None = None
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        form = BulletinForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                bulletin = bulletin_generate(
                    actor=request.user,
                    scope=form.cleaned_data["scope"],
                    period=form.cleaned_data["period_value"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return _redirect_to(request, bulletin)
    elif allowed:
        form = BulletinForm(user=request.user)
    filters = BulletinFilterForm(request.GET)
    kind = filters.cleaned_data["kind"] if filters.is_valid() else ""
    page = Paginator(bulletin_list(request.user, kind=kind), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "periods": recent_periods(),
        "query": urlencode({k: v for k, v in request.GET.items() if v and k != "page"}),
    }
    return render(request, "indices/bulletin_list.html", context)


def _detail_context(request: HttpRequest, bulletin: Bulletin) -> dict[str, Any]:
    context: dict[str, Any] = {
        "bulletin": bulletin,
        "finished": bulletin.status in FINISHED,
        "versions": bulletin_versions(bulletin),
        "may_generate": may_generate(request.user, bulletin.scope),
        "period_key": bulletin.period.key,
    }
    if bulletin.status == BulletinStatus.DONE:
        context.update(web_context(bulletin.data))
    return context


@login_required
@require_GET
def bulletin_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = bulletin_get(request.user, pk)
    return render(request, "indices/bulletin_detail.html", _detail_context(request, bulletin))


@login_required
@require_GET
def bulletin_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The status fragment htmx polls; once the bulletin is finished the page reloads whole."""
    bulletin = bulletin_get(request.user, pk)
    response = render(request, "indices/_bulletin_status.html", {"bulletin": bulletin})
    if bulletin.status in FINISHED:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def bulletin_download_view(request: HttpRequest, pk: int, kind: str) -> HttpResponseBase:
    bulletin = bulletin_get(request.user, pk)
    path = bulletin_file_path(bulletin, kind)
    if path is None:
        raise Http404
    filename = f"{bulletin.title}（第{bulletin.version}版）.{kind}"
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=filename, content_type=CONTENT_TYPES[kind]
    )
