"""The registry's write path: every change goes through here, checked, validated and audited."""

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from mediamatrix.core.audit import audit_record, snapshot
from mediamatrix.core.tree import child_path, subtree_q
from mediamatrix.orgs.access import Action, access_object, forget_memberships, is_system
from mediamatrix.orgs.choices import AccountStatus, Role, UnitLevel
from mediamatrix.orgs.models import Account, GridGroup, Membership, Unit
from mediamatrix.orgs.signals import unit_moved

UNIT_FIELDS = ("parent", "name", "short_name", "level", "kind", "division_code")
ACCOUNT_FIELDS = (
    "platform",
    "handle",
    "name",
    "category",
    "owner",
    "operator_name",
    "operator_phone",
    "followers",
    "status",
    "filing_number",
    "filed_at",
    "closed_at",
)
ACCOUNT_EDITABLE_FIELDS = (
    "platform",
    "handle",
    "name",
    "category",
    "owner",
    "operator_name",
    "operator_phone",
    "followers",
)
GRID_GROUP_FIELDS = (
    "name",
    "platform",
    "owner",
    "member_count",
    "contact_name",
    "contact_phone",
    "is_active",
)


def _require(actor: Any, path: str, action: Action) -> None:
    if not is_system(actor):
        access_object(actor, path, action)


def _validate(obj: Any, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude or [], validate_constraints=True)


def _change(
    *,
    actor: Any,
    obj: Any,
    changes: dict[str, Any],
    allowed: Iterable[str],
    audited: Iterable[str],
    verb: str,
    reason: str,
    unit_path: Callable[[Any], str],
    check: Callable[[Any], None] | None = None,
) -> None:
    """Apply field changes, validate, and save with an audit event, unless nothing changed."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValueError(f"{verb} cannot change {sorted(unknown)}")
    before = snapshot(obj, audited)
    for key, value in changes.items():
        setattr(obj, key, value.strip() if isinstance(value, str) else value)
    if check is not None:
        check(obj)
    _validate(obj)
    after = snapshot(obj, audited)
    if after == before:
        return
    with transaction.atomic():
        obj.save()
        audit_record(
            actor=actor,
            verb=verb,
            obj=obj,
            before=before,
            after=after,
            reason=reason,
            unit_path=unit_path(obj),
        )


# Units ---------------------------------------------------------------------------------------


def _check_unit_level(level: int, parent: Unit | None) -> None:
    if parent is not None and level < parent.level:
        raise ValidationError({"level": _("层级不能高于上级单位的层级。")})


def unit_create(
    *,
    actor: Any,
    parent: Unit | None,
    name: str,
    level: int,
    kind: str,
    short_name: str = "",
    division_code: str | None = None,
) -> Unit:
    if parent is None:
        if not (is_system(actor) or actor.is_superuser):
            raise PermissionDenied
    else:
        _require(actor, parent.path, Action.EDIT_UNIT)
    _check_unit_level(level, parent)
    unit = Unit(
        parent=parent,
        name=name.strip(),
        short_name=short_name.strip(),
        level=level,
        kind=kind,
        division_code=division_code or None,
        path="pending",
    )
    _validate(unit, exclude=["path"])
    with transaction.atomic():
        unit.save()
        # The path embeds our own id, known only after the insert.
        unit.path = child_path(parent.path if parent else "", unit.pk)
        unit.save(update_fields=["path"])
        audit_record(
            actor=actor,
            verb="unit.create",
            obj=unit,
            after=snapshot(unit, UNIT_FIELDS),
            unit_path=unit.path,
        )
    return unit


def unit_update(*, actor: Any, unit: Unit, reason: str = "", **changes: Any) -> Unit:
    _require(actor, unit.path, Action.EDIT_UNIT)
    if "division_code" in changes:
        changes["division_code"] = changes["division_code"] or None

    def check(unit: Unit) -> None:
        _check_unit_level(unit.level, unit.parent)
        if unit.children.filter(level__lt=unit.level).exists():
            raise ValidationError({"level": _("层级不能低于下级单位的层级。")})

    _change(
        actor=actor,
        obj=unit,
        changes=changes,
        allowed={"name", "short_name", "level", "kind", "division_code"},
        audited=UNIT_FIELDS,
        verb="unit.update",
        reason=reason,
        unit_path=lambda u: u.path,
        check=check,
    )
    return unit


def unit_move(*, actor: Any, unit: Unit, new_parent: Unit, reason: str) -> Unit:
    """Re-parent a unit: its subtree's paths and the owner paths of what it owns follow."""
    _require(actor, unit.path, Action.EDIT_UNIT)
    _require(actor, new_parent.path, Action.EDIT_UNIT)
    if new_parent.path.startswith(unit.path):
        raise ValidationError({"parent": _("不能把单位移到它自己或下级单位之下。")})
    _check_unit_level(unit.level, new_parent)
    old_path = unit.path
    new_path = child_path(new_parent.path, unit.pk)
    before = snapshot(unit, UNIT_FIELDS)
    tail = Substr(F("path"), len(old_path) + 1)
    owner_tail = Substr(F("owner_path"), len(old_path) + 1)
    with transaction.atomic():
        in_subtree = subtree_q("path", [old_path])
        Unit.objects.filter(in_subtree).update(path=Concat(Value(new_path), tail))
        for model in (Account, GridGroup):
            model.objects.filter(subtree_q("owner_path", [old_path])).update(
                owner_path=Concat(Value(new_path), owner_tail)
            )
        Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
        # Apps above orgs keep their own path copies (posts, sources, runs) in step.
        unit_moved.send(sender=Unit, old_path=old_path, new_path=new_path)
        unit.refresh_from_db()
        audit_record(
            actor=actor,
            verb="unit.move",
            obj=unit,
            before=before | {"path": old_path},
            after=snapshot(unit, UNIT_FIELDS) | {"path": unit.path},
            reason=reason,
            unit_path=unit.path,
        )
    return unit


# Accounts ------------------------------------------------------------------------------------


def _owner_path(owner: Unit | None) -> str:
    return owner.path if owner is not None else ""


def account_create(
    *,
    actor: Any,
    platform: str,
    handle: str,
    name: str,
    category: str,
    owner: Unit | None,
    operator_name: str = "",
    operator_phone: str = "",
    followers: int = 0,
    reason: str = "",
) -> Account:
    _require(actor, _owner_path(owner), Action.EDIT_ACCOUNT)
    account = Account(
        platform=platform,
        handle=handle.strip(),
        name=name.strip(),
        category=category,
        owner=owner,
        owner_path=_owner_path(owner),
        operator_name=operator_name.strip(),
        operator_phone=operator_phone.strip(),
        followers=followers,
        status=AccountStatus.PENDING,
    )
    _validate(account)
    with transaction.atomic():
        account.save()
        audit_record(
            actor=actor,
            verb="account.create",
            obj=account,
            after=snapshot(account, ACCOUNT_FIELDS),
            reason=reason,
            unit_path=account.owner_path,
        )
    return account


def account_update(*, actor: Any, account: Account, reason: str = "", **changes: Any) -> Account:
    """Change an account's registered details (变更); a new owner must be in the actor's scope."""
    _require(actor, account.owner_path, Action.EDIT_ACCOUNT)
    if "owner" in changes and changes["owner"] != account.owner:
        _require(actor, _owner_path(changes["owner"]), Action.EDIT_ACCOUNT)

    def follow_owner(account: Account) -> None:
        account.owner_path = _owner_path(account.owner)

    _change(
        actor=actor,
        obj=account,
        changes=changes,
        allowed=ACCOUNT_EDITABLE_FIELDS,
        audited=ACCOUNT_FIELDS,
        verb="account.change",
        reason=reason,
        unit_path=lambda a: a.owner_path,
        check=follow_owner,
    )
    return account


def _account_transition(
    *, actor: Any, account: Account, verb: str, reason: str, **fields: Any
) -> Account:
    if not reason.strip():
        raise ValidationError({"reason": _("请填写原因。")})
    before = snapshot(account, ACCOUNT_FIELDS)
    with transaction.atomic():
        for key, value in fields.items():
            setattr(account, key, value)
        account.save()
        audit_record(
            actor=actor,
            verb=verb,
            obj=account,
            before=before,
            after=snapshot(account, ACCOUNT_FIELDS),
            reason=reason.strip(),
            unit_path=account.owner_path,
        )
    return account


def account_file(*, actor: Any, account: Account, filing_number: str, reason: str) -> Account:
    """Record an account's filing (备案): it becomes active."""
    _require(actor, account.owner_path, Action.EDIT_ACCOUNT)
    if account.status == AccountStatus.CLOSED:
        raise ValidationError(_("已注销的账号不能备案，请新建账号。"))
    if account.status != AccountStatus.PENDING:
        raise ValidationError(_("该账号已备案。"))
    return _account_transition(
        actor=actor,
        account=account,
        verb="account.file",
        reason=reason,
        status=AccountStatus.ACTIVE,
        filing_number=filing_number.strip(),
        filed_at=timezone.now(),
    )


def account_close(*, actor: Any, account: Account, reason: str) -> Account:
    """Close an account (注销). Its history stays; later posts show up in the health list."""
    _require(actor, account.owner_path, Action.EDIT_ACCOUNT)
    if account.status == AccountStatus.CLOSED:
        raise ValidationError(_("该账号已注销。"))
    return _account_transition(
        actor=actor,
        account=account,
        verb="account.close",
        reason=reason,
        status=AccountStatus.CLOSED,
        closed_at=timezone.now(),
    )


def account_set_dormant(*, actor: Any, account: Account, dormant: bool, reason: str) -> Account:
    """Mark an active account dormant (休眠) or bring a dormant one back."""
    _require(actor, account.owner_path, Action.EDIT_ACCOUNT)
    expected = AccountStatus.ACTIVE if dormant else AccountStatus.DORMANT
    if account.status != expected:
        raise ValidationError(_("账号当前状态不允许此操作。"))
    return _account_transition(
        actor=actor,
        account=account,
        verb="account.dormant" if dormant else "account.reactivate",
        reason=reason,
        status=AccountStatus.DORMANT if dormant else AccountStatus.ACTIVE,
    )


# Grid groups ---------------------------------------------------------------------------------


def _check_group_owner(owner: Unit) -> None:
    if owner.level < UnitLevel.VILLAGE:
        raise ValidationError({"owner": _("网格群只能属于村（社区）级单位。")})


def grid_group_create(
    *,
    actor: Any,
    owner: Unit,
    name: str,
    platform: str,
    member_count: int = 0,
    contact_name: str = "",
    contact_phone: str = "",
) -> GridGroup:
    _require(actor, owner.path, Action.EDIT_GRID_GROUP)
    _check_group_owner(owner)
    group = GridGroup(
        owner=owner,
        owner_path=owner.path,
        name=name.strip(),
        platform=platform,
        member_count=member_count,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
    )
    _validate(group)
    with transaction.atomic():
        group.save()
        audit_record(
            actor=actor,
            verb="grid_group.create",
            obj=group,
            after=snapshot(group, GRID_GROUP_FIELDS),
            unit_path=group.owner_path,
        )
    return group


def grid_group_update(
    *, actor: Any, group: GridGroup, reason: str = "", **changes: Any
) -> GridGroup:
    _require(actor, group.owner_path, Action.EDIT_GRID_GROUP)
    if "owner" in changes and changes["owner"] != group.owner:
        _require(actor, changes["owner"].path, Action.EDIT_GRID_GROUP)
        _check_group_owner(changes["owner"])

    def follow_owner(group: GridGroup) -> None:
        group.owner_path = group.owner.path

    _change(
        actor=actor,
        obj=group,
        changes=changes,
        allowed=GRID_GROUP_FIELDS,
        audited=GRID_GROUP_FIELDS,
        verb="grid_group.change",
        reason=reason,
        unit_path=lambda g: g.owner_path,
        check=follow_owner,
    )
    return group


# Memberships ---------------------------------------------------------------------------------


def membership_grant(*, actor: Any, user: Any, unit: Unit, role: str) -> Membership:
    _require(actor, unit.path, Action.MANAGE_MEMBERS)
    if role not in Role.values:
        raise ValidationError({"role": _("未知角色。")})
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
        if created:
            audit_record(
                actor=actor,
                verb="membership.grant",
                obj=membership,
                after={"user": user.pk, "unit": unit.pk, "role": role},
                unit_path=unit.path,
            )
    forget_memberships(user)
    return membership


def member_create(
    *, actor: Any, unit: Unit, username: str, display_name: str, password: str, role: str
) -> Membership:
    """Create a login for a person of `unit` and give them a role there, in one step."""
    from mediamatrix.users.models import User
    from mediamatrix.users.services import user_create

    _require(actor, unit.path, Action.MANAGE_MEMBERS)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("用户名已被使用。")})
    if len(password) < 8:
        raise ValidationError({"password": _("初始密码至少 8 位。")})
    with transaction.atomic():
        user = user_create(
            actor=actor, username=username, password=password, display_name=display_name
        )
        return membership_grant(actor=actor, user=user, unit=unit, role=role)


def membership_revoke(*, actor: Any, membership: Membership, reason: str = "") -> None:
    _require(actor, membership.unit.path, Action.MANAGE_MEMBERS)
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb="membership.revoke",
            obj=membership,
            before={
                "user": membership.user_id,
                "unit": membership.unit_id,
                "role": membership.role,
            },
            reason=reason,
            unit_path=membership.unit.path,
        )
        membership.delete()
    forget_memberships(membership.user)
