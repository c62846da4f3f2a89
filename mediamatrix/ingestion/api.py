"""Ingestion endpoints of REST API v1: the push API for posts and metrics, posts, import runs.

Thin like the registry's: parse, call the push connector or a selector, return. A push answers 200
with one result per item even when some items are rejected (a rejected item never blocks the valid
ones), unless the client asked for `?atomic=true`. See docs/ingestion/push-api.md.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate
from ninja.params import P, QueryEx

from mediamatrix.ingestion.connectors.push import PushOutcome, push_batch
from mediamatrix.ingestion.models import ImportRun, Post
from mediamatrix.ingestion.schemas import (
    BatchIn,
    BatchOut,
    BatchRejectedOut,
    ImportRunDetailOut,
    ImportRunOut,
    ImportRunQuery,
    PostDetailOut,
    PostOut,
    PostQuery,
)
from mediamatrix.ingestion.selectors import (
    PostFilters,
    import_run_get,
    import_run_list,
    post_get,
    post_list,
)
from mediamatrix.orgs.api import READ_ERRORS, Pagination
from mediamatrix.orgs.schemas import Error
from mediamatrix.orgs.selectors import account_get, unit_get

router = Router(tags=["ingestion"])


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


# Push ----------------------------------------------------------------------------------------


def _batch_answer(outcome: PushOutcome) -> dict[str, Any]:
    return {
        "results": [
            {
                "index": item.origin,
                "status": item.status,
                "post_id": item.post_id,
                "errors": [
                    {"field": e.field, "reason": e.reason, "value": e.value} for e in item.errors
                ],
            }
            for item in outcome.items
        ],
        "created": outcome.count("created"),
        "updated": outcome.count("updated"),
        "unchanged": outcome.count("unchanged"),
        "rejected": outcome.count("rejected"),
        "import_run_id": outcome.run.pk if outcome.run is not None else None,
    }


@router.post(
    "/posts/batch",
    response={200: BatchOut, 401: Error, 403: Error, 422: BatchRejectedOut | Error},
    summary="批量推送稿件及数据（最多 1000 条）",
    description=(
        "按“账号 + 平台内容ID”新增或更新稿件，数据有变化时记一条数据快照；重复推送同样的数据不改变任何内容。"
        "逐条返回结果：有错误的条目被拒绝并说明字段和原因，其余条目照常写入（200）。"
        "加 `?atomic=true` 则全部正确才写入：任何一条被拒绝，整批不写入并返回 422 和逐条结果。"
        "账号不存在或不在令牌用户的管理范围内的条目一律以字段 account 拒绝。"
        "用户在任何单位都没有导入权限（编辑、管理员）时返回 403。"
    ),
)
def push_posts_batch(
    request: HttpRequest,
    payload: BatchIn,
    atomic: QueryEx[bool, P(description="全部正确才写入；否则只写入正确的条目")] = False,
) -> Status[dict[str, Any]]:
    outcome = push_batch(actor=_user(request), items=payload.parsed_items(), atomic=atomic)
    answer = _batch_answer(outcome)
    if outcome.written:
        return Status(200, answer)
    errors: dict[str, list[str]] = {}
    for item in outcome.items:
        for error in item.errors:
            errors.setdefault(f"items.{item.origin}.{error.field}", []).append(error.reason)
    detail = _("有 %(count)d 条被拒绝，整批未写入。") % {"count": answer["rejected"]}
    return Status(422, answer | {"detail": detail, "errors": errors})


# Posts ---------------------------------------------------------------------------------------


@router.get("/posts", response={200: list[PostOut], **READ_ERRORS}, summary="稿件列表")
@paginate(Pagination)
def list_posts(request: HttpRequest, filters: Query[PostQuery]) -> QuerySet[Post]:
    user = _user(request)
    if filters.account is not None:
        account_get(user, filters.account)  # 404 for an account out of sight, as for a unit
    selection = PostFilters(
        within=unit_get(user, filters.unit) if filters.unit is not None else None,
        account_id=filters.account,
        platform=filters.platform or "",
        category=filters.category or "",
        since=filters.since,
        until=filters.until,
        q=filters.q.strip(),
    )
    return post_list(user, selection).order_by("-published_at", "-id")


@router.get("/posts/{post_id}", response={200: PostDetailOut, **READ_ERRORS}, summary="稿件详情")
def get_post(request: HttpRequest, post_id: int) -> Post:
    return post_get(_user(request), post_id)


# Import runs ---------------------------------------------------------------------------------


@router.get(
    "/import-runs",
    response={200: list[ImportRunOut], **READ_ERRORS},
    summary="导入记录（文件、推送、采集）",
)
@paginate(Pagination)
def list_import_runs(request: HttpRequest, filters: Query[ImportRunQuery]) -> QuerySet[ImportRun]:
    runs = import_run_list(_user(request), connector=filters.connector.strip())
    return runs.defer("errors").order_by("-created_at", "-id")


@router.get(
    "/import-runs/{run_id}",
    response={200: ImportRunDetailOut, **READ_ERRORS},
    summary="一次导入的结果和错误",
)
def get_import_run(request: HttpRequest, run_id: int) -> ImportRun:
    return import_run_get(_user(request), run_id)
