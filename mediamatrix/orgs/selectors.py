"""Scoped reads of the registry: every query starts from what the user may see."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404

from mediamatrix.core.models import AuditEvent
from mediamatrix.core.tree import subtree_q
from mediamatrix.orgs.access import EVERYWHERE, Action, access_object, can_unowned, scope_roots
from mediamatrix.orgs.choices import AccountStatus
from mediamatrix.orgs.models import Account, GridGroup, Membership, Unit


def _scoped(qs: QuerySet[Any], user: Any, field: str, action: Action) -> QuerySet[Any]:
    roots = scope_roots(user, action)
    if roots is EVERYWHERE:
        return qs
    return qs.filter(subtree_q(field, roots))


# Units ---------------------------------------------------------------------------------------


def unit_list(
    user: Any,
    *,
    action: Action = Action.VIEW,
    within: Unit | None = None,
    level: int | None = None,
    q: str = "",
) -> QuerySet[Unit]:
    qs = _scoped(Unit.objects.all(), user, "path", action)
    if within is not None:
        qs = qs.filter(subtree_q("path", [within.path]))
    if level is not None:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(short_name__icontains=q) | Q(division_code__startswith=q)
        )
    return qs


def unit_get(user: Any, pk: Any, action: Action = Action.VIEW) -> Unit:
    unit = Unit.objects.select_related("parent").filter(pk=pk).first()
    if unit is None:
        raise Http404
    access_object(user, unit.path, action)
    return unit


def unit_roots(user: Any) -> QuerySet[Unit]:
    """The topmost units the user can see: the starting points of the tree browser."""
    roots = scope_roots(user, Action.VIEW)
    if roots is EVERYWHERE:
        return Unit.objects.filter(parent__isnull=True)
    return Unit.objects.filter(path__in=roots)


def unit_ancestors(user: Any, unit: Unit) -> list[Unit]:
    """Visible ancestors of a unit, from the top down (for breadcrumbs)."""
    ancestors = Unit.objects.filter(pk__in=unit.ancestor_ids).order_by("path")
    return list(_scoped(ancestors, user, "path", Action.VIEW))


@dataclass(frozen=True)
class UnitCounts:
    units: int
    accounts: int
    grid_groups: int


def unit_subtree_counts(units: list[Unit]) -> dict[int, UnitCounts]:
    """Descendant, account and grid-group counts for a list of units, in three queries per depth.

    Units of one depth have paths of one length, so grouping rows by that prefix of their path
    counts every subtree at once, however many units there are.
    """
    by_length: dict[int, list[Unit]] = {}
    for unit in units:
        by_length.setdefault(len(unit.path), []).append(unit)
    counts: dict[int, UnitCounts] = {}
    for length, same_depth in by_length.items():
        counts.update(_subtree_counts_at_depth(same_depth, length))
    return counts


def _subtree_counts_at_depth(units: list[Unit], length: int) -> dict[int, UnitCounts]:
    roots = [u.path for u in units]

    def grouped(qs: QuerySet[Any], field: str) -> dict[str, int]:
        rows = (
            qs.filter(subtree_q(field, roots))
            .annotate(root=Substr(field, 1, length))
            .values("root")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {row["root"]: row["n"] for row in rows}

    descendants = grouped(Unit.objects.all(), "path")
    accounts = grouped(Account.objects.exclude(status=AccountStatus.CLOSED), "owner_path")
    groups = grouped(GridGroup.objects.filter(is_active=True), "owner_path")
    return {
        u.pk: UnitCounts(
            units=descendants.get(u.path, 1) - 1,
            accounts=accounts.get(u.path, 0),
            grid_groups=groups.get(u.path, 0),
        )
        for u in units
    }


def unit_children(user: Any, unit: Unit | None) -> list[Unit]:
    """Visible children of `unit`, or the user's top units when `unit` is None."""
    if unit is None:
        return list(unit_roots(user).order_by("path"))
    return list(_scoped(unit.children.all(), user, "path", Action.VIEW).order_by("path"))


# Accounts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountFilters:
    platform: str = ""
    category: str = ""
    status: str = ""
    level: int | None = None
    within: Unit | None = None
    q: str = ""


def account_list(
    user: Any, filters: AccountFilters | None = None, action: Action = Action.VIEW
) -> QuerySet[Account]:
    f = filters or AccountFilters()
    qs = Account.objects.select_related("owner")
    roots = scope_roots(user, action)
    if roots is not EVERYWHERE:
        visible = subtree_q("owner_path", roots)
        if can_unowned(user, action):
            visible |= Q(owner_path="")  # unowned; an index range, unlike owner IS NULL
        qs = qs.filter(visible)
    if f.within is not None:
        qs = qs.filter(subtree_q("owner_path", [f.within.path]))
    if f.platform:
        qs = qs.filter(platform=f.platform)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.level is not None:
        qs = qs.filter(owner__level=f.level)
    if f.q:
        qs = qs.filter(
            Q(name__icontains=f.q) | Q(handle__icontains=f.q) | Q(owner__name__icontains=f.q)
        )
    return qs


def account_get(user: Any, pk: Any, action: Action = Action.VIEW) -> Account:
    account = Account.objects.select_related("owner").filter(pk=pk).first()
    if account is None:
        raise Http404
    access_object(user, account.owner_path, action)
    return account


# Grid groups ---------------------------------------------------------------------------------


def grid_group_list(
    user: Any,
    *,
    within: Unit | None = None,
    platform: str = "",
    q: str = "",
    action: Action = Action.VIEW,
) -> QuerySet[GridGroup]:
    qs = _scoped(GridGroup.objects.select_related("owner"), user, "owner_path", action)
    if within is not None:
        qs = qs.filter(subtree_q("owner_path", [within.path]))
    if platform:
        qs = qs.filter(platform=platform)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(owner__name__icontains=q))
    return qs


def grid_group_get(user: Any, pk: Any, action: Action = Action.VIEW) -> GridGroup:
    group = GridGroup.objects.select_related("owner").filter(pk=pk).first()
    if group is None:
        raise Http404
    access_object(user, group.owner_path, action)
    return group


# Memberships ---------------------------------------------------------------------------------


def membership_list(user: Any, *, unit: Unit | None = None) -> QuerySet[Membership]:
    qs = _scoped(Membership.objects.select_related("user", "unit"), user, "unit__path", Action.VIEW)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.order_by("unit__path", "user__username", "role")


# Registry health -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicatePlatform:
    unit: Unit
    platform: str
    accounts: list[Account]


@dataclass(frozen=True)
class RegistryHealth:
    duplicate_platforms: list[DuplicatePlatform]
    unowned_accounts: list[Account]
    closed_but_posting: list[Account]

    @property
    def total(self) -> int:
        return (
            len(self.duplicate_platforms)
            + len(self.unowned_accounts)
            + len(self.closed_but_posting)
        )


def registry_health(user: Any) -> RegistryHealth:
    """Problems an office must fix: several accounts of one unit on one platform (一单位一平台
    一账号), accounts with no owner, closed accounts still publishing after their closure."""
    live = account_list(user).exclude(status=AccountStatus.CLOSED)
    pairs = (
        live.filter(owner__isnull=False)
        .values("owner_id", "platform")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by()
    )
    wanted = {(row["owner_id"], row["platform"]) for row in pairs}
    duplicates: dict[tuple[int, str], list[Account]] = {}
    if wanted:
        owner_ids = {owner for owner, _ in wanted}
        for account in live.filter(owner_id__in=owner_ids).order_by("owner_path", "name"):
            key = (account.owner_id, account.platform)
            if key in wanted:
                duplicates.setdefault(key, []).append(account)
    duplicate_rows = [
        DuplicatePlatform(unit=accounts[0].owner, platform=platform, accounts=accounts)  # type: ignore[arg-type]
        for (_, platform), accounts in sorted(
            duplicates.items(), key=lambda item: item[1][0].owner_path
        )
    ]
    unowned = list(
        account_list(user).filter(owner__isnull=True).exclude(status=AccountStatus.CLOSED)
    )
    closed_posting = list(
        account_list(user).filter(
            status=AccountStatus.CLOSED,
            last_post_at__isnull=False,
            closed_at__isnull=False,
            last_post_at__gt=F("closed_at"),
        )
    )
    return RegistryHealth(duplicate_rows, unowned, closed_posting)


# History -------------------------------------------------------------------------------------


def audit_history(user: Any, obj: Any, unit_path: str) -> QuerySet[AuditEvent]:
    """The audit trail of one object the user can see (access is checked on the object)."""
    access_object(user, unit_path, Action.VIEW)
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")


def audit_list(user: Any) -> QuerySet[AuditEvent]:
    """Recent audit events in the user's subtrees (unit-less events only for superusers)."""
    roots = scope_roots(user, Action.MANAGE_MEMBERS)
    qs = AuditEvent.objects.select_related("actor")
    if roots is EVERYWHERE:
        return qs
    return qs.filter(subtree_q("unit_path", roots))
