"""Post pages: the scoped list with filters, and one post with its metric history chart."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mediamatrix.ingestion.forms import PostFilterForm
from mediamatrix.ingestion.models import METRIC_FIELDS, METRIC_LABELS
from mediamatrix.ingestion.selectors import (
    PostFilters,
    post_get,
    post_list,
    post_metric_history,
)
from mediamatrix.orgs.selectors import account_get, unit_get

PAGE_SIZES = (20, 50, 100, 200)


def _page_size(request: HttpRequest) -> int:
    try:
        size = int(request.GET.get("page_size", 50))
    except ValueError:
        return 50
    return size if size in PAGE_SIZES else 50


def _filters(request: HttpRequest, form: PostFilterForm) -> tuple[PostFilters, dict[str, Any]]:
    if not form.is_valid():
        return PostFilters(), {}
    data = form.cleaned_data
    within = unit_get(request.user, data["unit"]) if data.get("unit") else None
    account = account_get(request.user, data["account"]) if data.get("account") else None
    since, until = form.time_window()
    filters = PostFilters(
        within=within,
        account_id=account.pk if account else None,
        platform=data["platform"],
        category=data["category"],
        since=since,
        until=until,
        q=data["q"].strip(),
    )
    return filters, {"within": within, "account": account}


@login_required
def post_list_view(request: HttpRequest) -> HttpResponse:
    form = PostFilterForm(request.GET)
    filters, context = _filters(request, form)
    posts = post_list(request.user, filters).order_by("-published_at", "-pk")
    page = Paginator(posts, _page_size(request)).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in request.GET.items() if v and k != "page")
    context.update({"form": form, "page": page, "query": query})
    return render(request, "ingestion/post_list.html", context)


@login_required
def post_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = post_get(request.user, pk)
    history = list(post_metric_history(post))
    series = {
        "times": [s.captured_at.isoformat() for s in history],
        **{name: [getattr(s, name) for s in history] for name in METRIC_FIELDS},
    }
    return render(
        request,
        "ingestion/post_detail.html",
        {
            "post": post,
            "history": history,
            "series": series,
            "chart_labels": {name: str(METRIC_LABELS[name]) for name in METRIC_FIELDS},
            "paragraphs": [line for line in post.body_text.split("\n") if line.strip()],
        },
    )
