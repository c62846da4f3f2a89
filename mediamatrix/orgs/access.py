"""Who may do what, where. A role held in a unit applies to that unit's whole subtree.

Checks answer with 404 when the object is outside the user's sight (missing and forbidden look
the same) and with 403 only when the user can see the object but not act on it.
"""

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from mediamatrix.core.tree import SEGMENT_WIDTH, collapse_roots
from mediamatrix.orgs.choices import Role


class Action(StrEnum):
    VIEW = "view"
    EDIT_ACCOUNT = "edit_account"
    EDIT_GRID_GROUP = "edit_grid_group"
    EDIT_UNIT = "edit_unit"
    MANAGE_MEMBERS = "manage_members"
    IMPORT = "import"
    REVIEW = "review"  # decide on content findings, decide appeals
    RESPOND = "respond"  # answer a decision about the unit's content: reply, correct, appeal


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.EDITOR: frozenset(
        {Action.VIEW, Action.EDIT_ACCOUNT, Action.EDIT_GRID_GROUP, Action.IMPORT, Action.RESPOND}
    ),
    Role.REVIEWER: frozenset({Action.VIEW, Action.REVIEW}),
    Role.OPERATOR: frozenset({Action.VIEW, Action.EDIT_GRID_GROUP, Action.RESPOND}),
    Role.VIEWER: frozenset({Action.VIEW}),
}

EVERYWHERE = None  # the scope of a superuser


def _memberships(user: Any) -> list[tuple[str, str]]:
    cached: list[tuple[str, str]] | None = getattr(user, "_mm_memberships", None)
    if cached is None:
        from mediamatrix.orgs.models import Membership

        cached = list(Membership.objects.filter(user=user).values_list("unit__path", "role"))
        user._mm_memberships = cached
    return cached


def scope_roots(user: Any, action: Action = Action.VIEW) -> list[str] | None:
    """Paths of the subtrees where `user` may perform `action`; None means everywhere."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.is_superuser:
        return EVERYWHERE
    return collapse_roots(
        path for path, role in _memberships(user) if action in ROLE_ACTIONS.get(role, ())
    )


def forget_memberships(user: Any) -> None:
    """Drop the per-request cache after a user's memberships change."""
    if hasattr(user, "_mm_memberships"):
        del user._mm_memberships


def can(user: Any, path: str, action: Action) -> bool:
    """Whether `user` may perform `action` on something that belongs to the unit at `path`."""
    roots = scope_roots(user, action)
    if roots is EVERYWHERE:
        return True
    return bool(path) and any(path.startswith(root) for root in roots)


def user_roles_at(user: Any, path: str) -> set[str]:
    """Roles that apply at `path` (held there or on an ancestor)."""
    if user.is_superuser:
        return {Role.ADMIN}
    return {role for root, role in _memberships(user) if path.startswith(root)}


def can_unowned(user: Any, action: Action = Action.VIEW) -> bool:
    """Objects with no owning unit (orphan accounts) concern those who hold a top-level unit."""
    roots = scope_roots(user, action)
    return roots is EVERYWHERE or any(len(root) == SEGMENT_WIDTH for root in roots)


def access_object(user: Any, path: str, action: Action = Action.VIEW) -> None:
    """Raise 404 if the object is out of sight, 403 if visible but the action is not allowed."""
    if not (can_unowned(user) if not path else can(user, path, Action.VIEW)):
        raise Http404
    allowed = can_unowned(user, action) if not path else can(user, path, action)
    if action is not Action.VIEW and not allowed:
        raise PermissionDenied


def is_system(actor: Any) -> bool:
    """Management commands and background jobs act as the system (actor None)."""
    return actor is None
