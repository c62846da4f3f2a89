"""Registry endpoints (units, accounts, grid groups, memberships) of REST API v1.

Thin like the pages: parse, call a selector or a service, return. Reads go through the scoped
selectors and writes through the services, so a token or a session sees and changes exactly what
its user could on the pages: objects outside the user's units answer 404, visible objects the user
may not change answer 403, invalid input answers 422 (see mediamatrix/api.py for the handlers).
"""

from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from mediamatrix.core.models import AuditEvent
from mediamatrix.core.tree import path_ids
from mediamatrix.orgs import services
from mediamatrix.orgs.access import Action, scope_roots
from mediamatrix.orgs.models import Account, GridGroup, Membership, Unit
from mediamatrix.orgs.schemas import (
    AccountCloseIn,
    AccountFileIn,
    AccountIn,
    AccountOut,
    AccountPatch,
    AccountQuery,
    AuditEventOut,
    Error,
    GridGroupIn,
    GridGroupOut,
    GridGroupPatch,
    GridGroupQuery,
    MembershipIn,
    MembershipOut,
    MembershipQuery,
    MeOut,
    RegistryHealthOut,
    SubtreeCounts,
    UnitChildOut,
    UnitIn,
    UnitOut,
    UnitPatch,
    UnitQuery,
)
from mediamatrix.orgs.selectors import (
    AccountFilters,
    account_get,
    account_list,
    audit_history,
    grid_group_get,
    grid_group_list,
    membership_list,
    registry_health,
    unit_children,
    unit_get,
    unit_list,
    unit_subtree_counts,
)
from mediamatrix.users.models import User

router = Router(tags=["registry"])

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500

READ_ERRORS: dict[int, Any] = {401: Error, 404: Error, 422: Error}
WRITE_ERRORS: dict[int, Any] = {401: Error, 403: Error, 404: Error, 422: Error}


class Pagination(PageNumberPagination):
    """`?page=2&page_size=100` → `{"items": [...], "count": N}`; sizes above 500 are cut to 500."""

    class Input(Schema):
        page: int = Field(1, ge=1, description="页码，从 1 开始")
        page_size: int = Field(
            DEFAULT_PAGE_SIZE, ge=1, description=f"每页条数，最多 {MAX_PAGE_SIZE}"
        )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=DEFAULT_PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)


def _user(request: HttpRequest) -> Any:
    """The authenticated user, whichever of token, header or session authenticated the call."""
    return request.auth  # type: ignore[attr-defined]


def _unit_or_none(user: Any, pk: int | None, action: Action = Action.VIEW) -> Unit | None:
    return unit_get(user, pk, action) if pk is not None else None


def _history(user: Any, obj: Any, unit_path: str) -> QuerySet[AuditEvent]:
    return audit_history(user, obj, unit_path).order_by("-occurred_at", "-id")


# Units ---------------------------------------------------------------------------------------


@router.get("/units", response={200: list[UnitOut], **READ_ERRORS}, summary="单位列表")
@paginate(Pagination)
def list_units(request: HttpRequest, filters: Query[UnitQuery]) -> QuerySet[Unit]:
    user = _user(request)
    within = _unit_or_none(user, filters.within)
    units = unit_list(user, within=within, level=filters.level, q=filters.q.strip())
    if filters.parent is not None:
        units = units.filter(parent=unit_get(user, filters.parent))
    return units.order_by("path")


@router.post("/units", response={201: UnitOut, **WRITE_ERRORS}, summary="新建单位")
def create_unit(request: HttpRequest, payload: UnitIn) -> Status[Unit]:
    user = _user(request)
    data = payload.model_dump()
    parent = _unit_or_none(user, data.pop("parent_id"), Action.EDIT_UNIT)
    return Status(201, services.unit_create(actor=user, parent=parent, **data))


@router.get("/units/{unit_id}", response={200: UnitOut, **READ_ERRORS}, summary="单位详情")
def get_unit(request: HttpRequest, unit_id: int) -> Unit:
    return unit_get(_user(request), unit_id)


@router.patch("/units/{unit_id}", response={200: UnitOut, **WRITE_ERRORS}, summary="修改单位")
def update_unit(request: HttpRequest, unit_id: int, payload: UnitPatch) -> Unit:
    user = _user(request)
    unit = unit_get(user, unit_id, Action.EDIT_UNIT)
    return services.unit_update(actor=user, unit=unit, reason=payload.reason, **payload.changes())


@router.get(
    "/units/{unit_id}/children",
    response={200: list[UnitChildOut], **READ_ERRORS},
    summary="下级单位及其下属统计",
)
def list_unit_children(request: HttpRequest, unit_id: int) -> list[UnitChildOut]:
    user = _user(request)
    children = unit_children(user, unit_get(user, unit_id))
    counts = unit_subtree_counts(children) if children else {}
    return [
        UnitChildOut(
            **dict(UnitOut.from_orm(child)),
            subtree=SubtreeCounts(**asdict(counts[child.pk])),
        )
        for child in children
    ]


@router.get(
    "/units/{unit_id}/history",
    response={200: list[AuditEventOut], **READ_ERRORS},
    summary="单位变更记录",
)
@paginate(Pagination)
def unit_history(request: HttpRequest, unit_id: int) -> QuerySet[AuditEvent]:
    user = _user(request)
    unit = unit_get(user, unit_id)
    return _history(user, unit, unit.path)


# Accounts ------------------------------------------------------------------------------------


@router.get("/accounts", response={200: list[AccountOut], **READ_ERRORS}, summary="账号列表")
@paginate(Pagination)
def list_accounts(request: HttpRequest, filters: Query[AccountQuery]) -> QuerySet[Account]:
    user = _user(request)
    selection = AccountFilters(
        platform=filters.platform or "",
        category=filters.category or "",
        status=filters.status or "",
        level=filters.level,
        within=_unit_or_none(user, filters.unit),
        q=filters.q.strip(),
    )
    return account_list(user, selection).order_by("owner_path", "platform", "name", "pk")


@router.post("/accounts", response={201: AccountOut, **WRITE_ERRORS}, summary="登记账号（待备案）")
def create_account(request: HttpRequest, payload: AccountIn) -> Status[Account]:
    user = _user(request)
    data = payload.model_dump()
    owner = _unit_or_none(user, data.pop("owner_id"), Action.EDIT_ACCOUNT)
    return Status(201, services.account_create(actor=user, owner=owner, **data))


@router.get("/accounts/{account_id}", response={200: AccountOut, **READ_ERRORS}, summary="账号详情")
def get_account(request: HttpRequest, account_id: int) -> Account:
    return account_get(_user(request), account_id)


@router.patch(
    "/accounts/{account_id}", response={200: AccountOut, **WRITE_ERRORS}, summary="变更账号信息"
)
def update_account(request: HttpRequest, account_id: int, payload: AccountPatch) -> Account:
    user = _user(request)
    account = account_get(user, account_id, Action.EDIT_ACCOUNT)
    changes = payload.changes()
    if "owner_id" in changes:
        changes["owner"] = _unit_or_none(user, changes.pop("owner_id"), Action.EDIT_ACCOUNT)
    return services.account_update(actor=user, account=account, reason=payload.reason, **changes)


@router.post(
    "/accounts/{account_id}/file", response={200: AccountOut, **WRITE_ERRORS}, summary="账号备案"
)
def file_account(request: HttpRequest, account_id: int, payload: AccountFileIn) -> Account:
    user = _user(request)
    account = account_get(user, account_id, Action.EDIT_ACCOUNT)
    return services.account_file(
        actor=user, account=account, filing_number=payload.filing_number, reason=payload.reason
    )


@router.post(
    "/accounts/{account_id}/close", response={200: AccountOut, **WRITE_ERRORS}, summary="注销账号"
)
def close_account(request: HttpRequest, account_id: int, payload: AccountCloseIn) -> Account:
    user = _user(request)
    account = account_get(user, account_id, Action.EDIT_ACCOUNT)
    return services.account_close(actor=user, account=account, reason=payload.reason)


@router.get(
    "/accounts/{account_id}/history",
    response={200: list[AuditEventOut], **READ_ERRORS},
    summary="账号变更记录（登记、变更、备案、注销）",
)
@paginate(Pagination)
def account_history(request: HttpRequest, account_id: int) -> QuerySet[AuditEvent]:
    user = _user(request)
    account = account_get(user, account_id)
    return _history(user, account, account.owner_path)


# Grid groups ---------------------------------------------------------------------------------


@router.get("/grid-groups", response={200: list[GridGroupOut], **READ_ERRORS}, summary="网格群列表")
@paginate(Pagination)
def list_grid_groups(request: HttpRequest, filters: Query[GridGroupQuery]) -> QuerySet[GridGroup]:
    user = _user(request)
    groups = grid_group_list(
        user,
        within=_unit_or_none(user, filters.unit),
        platform=filters.platform or "",
        q=filters.q.strip(),
    )
    return groups.order_by("owner_path", "name", "pk")


@router.post("/grid-groups", response={201: GridGroupOut, **WRITE_ERRORS}, summary="登记网格群")
def create_grid_group(request: HttpRequest, payload: GridGroupIn) -> Status[GridGroup]:
    user = _user(request)
    data = payload.model_dump()
    owner = unit_get(user, data.pop("owner_id"), Action.EDIT_GRID_GROUP)
    return Status(201, services.grid_group_create(actor=user, owner=owner, **data))


@router.get(
    "/grid-groups/{group_id}", response={200: GridGroupOut, **READ_ERRORS}, summary="网格群详情"
)
def get_grid_group(request: HttpRequest, group_id: int) -> GridGroup:
    return grid_group_get(_user(request), group_id)


@router.patch(
    "/grid-groups/{group_id}", response={200: GridGroupOut, **WRITE_ERRORS}, summary="修改网格群"
)
def update_grid_group(request: HttpRequest, group_id: int, payload: GridGroupPatch) -> GridGroup:
    user = _user(request)
    group = grid_group_get(user, group_id, Action.EDIT_GRID_GROUP)
    changes = payload.changes()
    if "owner_id" in changes:
        changes["owner"] = unit_get(user, changes.pop("owner_id"), Action.EDIT_GRID_GROUP)
    return services.grid_group_update(actor=user, group=group, reason=payload.reason, **changes)


@router.get(
    "/grid-groups/{group_id}/history",
    response={200: list[AuditEventOut], **READ_ERRORS},
    summary="网格群变更记录",
)
@paginate(Pagination)
def grid_group_history(request: HttpRequest, group_id: int) -> QuerySet[AuditEvent]:
    user = _user(request)
    group = grid_group_get(user, group_id)
    return _history(user, group, group.owner_path)


# Memberships ---------------------------------------------------------------------------------


@router.get(
    "/memberships", response={200: list[MembershipOut], **READ_ERRORS}, summary="成员角色列表"
)
@paginate(Pagination)
def list_memberships(request: HttpRequest, filters: Query[MembershipQuery]) -> QuerySet[Membership]:
    user = _user(request)
    return membership_list(user, unit=_unit_or_none(user, filters.unit))


@router.post(
    "/memberships", response={201: MembershipOut, **WRITE_ERRORS}, summary="授予已有用户角色"
)
def create_membership(request: HttpRequest, payload: MembershipIn) -> Status[Membership]:
    user = _user(request)
    unit = unit_get(user, payload.unit_id, Action.MANAGE_MEMBERS)
    member = User.objects.filter(username=payload.username, is_active=True).first()
    if member is None:
        raise ValidationError({"username": _("没有这个用户。")})
    membership = services.membership_grant(actor=user, user=member, unit=unit, role=payload.role)
    return Status(201, membership)


@router.delete(
    "/memberships/{membership_id}", response={204: None, **WRITE_ERRORS}, summary="撤销角色"
)
def delete_membership(request: HttpRequest, membership_id: int) -> Status[None]:
    user = _user(request)
    membership = membership_list(user).filter(pk=membership_id).first()
    if membership is None:
        raise Http404
    services.membership_revoke(actor=user, membership=membership)
    return Status(204, None)


# Health and the caller -----------------------------------------------------------------------


@router.get(
    "/registry/health", response={200: RegistryHealthOut, 401: Error}, summary="登记数据问题"
)
def get_registry_health(request: HttpRequest) -> dict[str, Any]:
    health = registry_health(_user(request))
    return {
        "total": health.total,
        "duplicate_platforms": [
            {"unit": row.unit, "platform": row.platform, "accounts": row.accounts}
            for row in health.duplicate_platforms
        ],
        "unowned_accounts": health.unowned_accounts,
        "closed_but_posting": health.closed_but_posting,
    }


@router.get("/me", response={200: MeOut, 401: Error}, summary="当前用户、角色和权限范围")
def get_me(request: HttpRequest) -> dict[str, Any]:
    user = _user(request)
    scopes: dict[str, list[int]] = {}
    for action in Action:
        roots = scope_roots(user, action)
        if roots is not None:
            scopes[action.value] = [path_ids(root)[-1] for root in roots]
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "is_superuser": user.is_superuser,
        "memberships": list(membership_list(user).filter(user=user)),
        "scopes": scopes,
    }
