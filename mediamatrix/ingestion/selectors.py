"""Scoped reads of posts, metrics, import runs and sources."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from mediamatrix.core.tree import subtree_q
from mediamatrix.ingestion.models import ImportRun, MetricSnapshot, Post, Source
from mediamatrix.orgs.access import EVERYWHERE, Action, access_object, can_unowned, scope_roots
from mediamatrix.orgs.models import Unit


def _scoped(
    qs: QuerySet[Any], user: Any, field: str, action: Action = Action.VIEW
) -> QuerySet[Any]:
    roots = scope_roots(user, action)
    if roots is EVERYWHERE:
        return qs
    visible = subtree_q(field, roots)
    if can_unowned(user, action):
        visible |= Q(**{field: ""})
    return qs.filter(visible)


@dataclass(frozen=True)
class PostFilters:
    within: Unit | None = None
    account_id: int | None = None
    platform: str = ""
    category: str = ""
    since: datetime | None = None
    until: datetime | None = None
    q: str = ""


def post_list(user: Any, filters: PostFilters | None = None) -> QuerySet[Post]:
    f = filters or PostFilters()
    qs = _scoped(Post.objects.select_related("account"), user, "owner_path")
    if f.within is not None:
        qs = qs.filter(subtree_q("owner_path", [f.within.path]))
    if f.account_id is not None:
        qs = qs.filter(account_id=f.account_id)
    if f.platform:
        qs = qs.filter(platform=f.platform)
    if f.category:
        qs = qs.filter(account__category=f.category)
    if f.since is not None:
        qs = qs.filter(published_at__gte=f.since)
    if f.until is not None:
        qs = qs.filter(published_at__lt=f.until)
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(body_text__icontains=f.q))
    return qs.defer("body_html", "body_text")


def post_get(user: Any, pk: Any) -> Post:
    post = Post.objects.select_related("account", "account__owner").filter(pk=pk).first()
    if post is None:
        raise Http404
    access_object(user, post.owner_path, Action.VIEW)
    return post


def post_metric_history(post: Post) -> QuerySet[MetricSnapshot]:
    return post.snapshots.order_by("captured_at")


def import_run_list(user: Any, *, connector: str = "") -> QuerySet[ImportRun]:
    qs = _scoped(ImportRun.objects.select_related("actor"), user, "scope_path")
    if connector:
        qs = qs.filter(connector=connector)
    return qs


def import_run_get(user: Any, pk: Any) -> ImportRun:
    run = ImportRun.objects.select_related("actor").filter(pk=pk).first()
    if run is None:
        raise Http404
    access_object(user, run.scope_path, Action.VIEW)
    return run


def source_list(user: Any) -> QuerySet[Source]:
    return _scoped(Source.objects.select_related("account"), user, "owner_path")


def source_get(user: Any, pk: Any, action: Action = Action.VIEW) -> Source:
    source = Source.objects.select_related("account").filter(pk=pk).first()
    if source is None:
        raise Http404
    access_object(user, source.owner_path, action)
    return source
