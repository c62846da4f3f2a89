"""Scoped reads: a user's inbox and the channel settings of the units they administer.

The inbox holds the notices addressed to the units where the user holds a role. Admins and
reviewers may widen it to their units' subtrees (what was sent to the units below them).
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from mediamatrix.core.tree import SEGMENT_WIDTH, collapse_roots, subtree_q
from mediamatrix.notices.models import ChannelConfig, Delivery, Notice, NoticeRead
from mediamatrix.orgs.access import EVERYWHERE, Action, access_object, scope_roots
from mediamatrix.orgs.choices import Role
from mediamatrix.orgs.models import Membership, Unit

SUBTREE_ROLES = (Role.ADMIN, Role.REVIEWER)
RECENT_DELIVERIES = 20


def ancestor_paths(path: str) -> list[str]:
    return [path[:end] for end in range(SEGMENT_WIDTH, len(path), SEGMENT_WIDTH)]


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _subtree_roots(user: Any) -> list[str] | None:
    if user.is_superuser:
        return EVERYWHERE
    paths = Membership.objects.filter(user=user, role__in=SUBTREE_ROLES).values_list(
        "unit__path", flat=True
    )
    return collapse_roots(paths)


def inbox_can_widen(user: Any) -> bool:
    """Whether the user may see the notices of the units below theirs."""
    return _active(user) and _subtree_roots(user) != []


def notice_list(user: Any, *, subtree: bool = False, unread: bool = False) -> QuerySet[Notice]:
    """Newest first, each with `is_read` for this user."""
    if not _active(user):
        return Notice.objects.none()
    visible = Q(unit_id__in=Membership.objects.filter(user=user).values("unit_id"))
    if subtree:
        roots = _subtree_roots(user)
        visible = Q() if roots is EVERYWHERE else visible | subtree_q("unit_path", roots)
    read = NoticeRead.objects.filter(notice=OuterRef("pk"), user=user)
    qs = Notice.objects.filter(visible).select_related("unit").annotate(is_read=Exists(read))
    if unread:
        qs = qs.filter(is_read=False)
    return qs.order_by("-created_at", "-id")


def notice_get(user: Any, pk: Any) -> Notice:
    notice = notice_list(user, subtree=True).filter(pk=pk).first()
    if notice is None:
        raise Http404
    return notice


def unread_count(user: Any) -> int:
    """Unread notices of the user's own units: the number for the header's inbox link."""
    return notice_list(user, unread=True).count()


# Channel settings --------------------------------------------------------------------------------


def channel_units(user: Any) -> QuerySet[Unit]:
    """The topmost units whose channels the user manages: the choices of the unit picker."""
    roots = scope_roots(user, Action.EDIT_UNIT)
    if roots is EVERYWHERE:
        return Unit.objects.filter(parent__isnull=True)
    return Unit.objects.filter(path__in=roots)


def channel_config_list(user: Any, unit: Unit) -> QuerySet[ChannelConfig]:
    access_object(user, unit.path, Action.EDIT_UNIT)
    return ChannelConfig.objects.filter(unit=unit).order_by("-enabled", "channel", "pk")


def channel_config_get(user: Any, pk: Any) -> ChannelConfig:
    config = ChannelConfig.objects.select_related("unit").filter(pk=pk).first()
    if config is None:
        raise Http404
    access_object(user, config.unit_path, Action.EDIT_UNIT)
    return config


def channel_upstream_list(unit: Unit) -> QuerySet[ChannelConfig]:
    """Enabled channels of the unit's ancestors that also receive this unit's notices."""
    return ChannelConfig.objects.filter(
        enabled=True, include_subtree=True, unit_path__in=ancestor_paths(unit.path)
    ).select_related("unit")


def delivery_list(user: Any, unit: Unit) -> QuerySet[Delivery]:
    """The latest deliveries through the unit's own channels."""
    access_object(user, unit.path, Action.EDIT_UNIT)
    return (
        Delivery.objects.filter(config__unit=unit)
        .select_related("notice", "config")
        .order_by("-created_at", "-id")[:RECENT_DELIVERIES]
    )
