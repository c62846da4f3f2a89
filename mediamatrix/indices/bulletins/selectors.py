"""Scoped reads of bulletins: a user sees the bulletins of scopes inside their units' subtrees."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from mediamatrix.core.tree import subtree_q
from mediamatrix.indices.models import Bulletin
from mediamatrix.indices.services.bulletins import GENERATE
from mediamatrix.orgs.access import EVERYWHERE, Action, access_object, can, scope_roots
from mediamatrix.orgs.models import Unit
from mediamatrix.orgs.selectors import unit_list

SCOPE_LEVELS = (1, 2, 3)  # units with their own scores: city, counties, townships


def bulletin_list(user: Any, *, kind: str = "", scope: Unit | None = None) -> QuerySet[Bulletin]:
    qs = Bulletin.objects.select_related("scope", "created_by")
    roots = scope_roots(user, Action.VIEW)
    if roots is not EVERYWHERE:
        # The scope's current path, not the copy taken at generation: a moved unit's bulletins
        # follow it.
        qs = qs.filter(subtree_q("scope__path", roots))
    if kind:
        qs = qs.filter(period_kind=kind)
    if scope is not None:
        qs = qs.filter(scope=scope)
    return qs.order_by("-period_end", "scope__path", "-version", "-pk")


def bulletin_get(user: Any, pk: Any) -> Bulletin:
    bulletin = Bulletin.objects.select_related("scope", "created_by").filter(pk=pk).first()
    if bulletin is None:
        raise Http404
    access_object(user, bulletin.scope.path, Action.VIEW)
    return bulletin


def bulletin_versions(bulletin: Bulletin) -> QuerySet[Bulletin]:
    """Every version of the same scope and period, newest first (the caller has seen one)."""
    return Bulletin.objects.filter(
        scope_id=bulletin.scope_id,
        period_kind=bulletin.period_kind,
        period_start=bulletin.period_start,
        period_end=bulletin.period_end,
    ).order_by("-version")


def bulletin_scopes(user: Any) -> QuerySet[Unit]:
    """The units the user may issue bulletins for."""
    return unit_list(user, action=GENERATE).filter(level__in=SCOPE_LEVELS).order_by("path")


def may_generate(user: Any, scope: Unit | None = None) -> bool:
    if scope is None:
        return scope_roots(user, GENERATE) != []
    return can(user, scope.path, GENERATE)
