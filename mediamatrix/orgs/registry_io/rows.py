"""Applying one row: parse its cells, find the record it describes, create or update it through
the registry's services. Every problem becomes a `RowError` naming the row, the column and why.

A record is recognised by its natural key: a unit by its division code, or else by its name under
its parent; an account by platform and platform handle; a grid group by its village and name. A
recognised record whose values all match counts as unchanged; otherwise it is updated through the
service, which checks the actor and writes an audit event. Blank optional cells leave the stored
value as it is: an import never erases data.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, NoReturn, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from mediamatrix.orgs import services
from mediamatrix.orgs.access import EVERYWHERE, Action, can, can_unowned, is_system, scope_roots
from mediamatrix.orgs.choices import UnitLevel
from mediamatrix.orgs.models import Account, GridGroup, Unit
from mediamatrix.orgs.registry_io.columns import ACCOUNTS, GRID_GROUPS, UNITS, KindSpec
from mediamatrix.orgs.registry_io.references import UnitNotFound, UnitResolver
from mediamatrix.orgs.registry_io.values import (
    CATEGORY,
    GROUP_PLATFORM,
    KIND,
    LEVEL,
    PLATFORM,
    CellError,
    looks_like_division_code,
    parse_count,
    parse_division_code,
)

T = TypeVar("T")


@dataclass(frozen=True)
class RowError:
    """One problem: the row as Excel numbers it, the column header ("" for the whole row)."""

    row: int
    column: str
    reason: str
    value: str = ""

    def __str__(self) -> str:
        return f"第{self.row}行 [{self.column or '整行'}] {self.reason}"


class RowInvalid(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(errors)
        self.errors = errors


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


class Cells:
    """One row's cells and the problems found in them so far."""

    def __init__(self, spec: KindSpec, number: int, values: dict[str, str]) -> None:
        self.spec = spec
        self.number = number
        self.values = values
        self.errors: list[RowError] = []

    def text(self, key: str) -> str:
        return self.values.get(key, "")

    def required(self, key: str) -> str:
        value = self.text(key)
        if not value:
            self.error(key, _("必填，不能为空。"))
        return value

    def parse(self, key: str, parser: Callable[[str], T], *, required: bool = False) -> T | None:
        value = self.text(key)
        if not value:
            if required:
                self.error(key, _("必填，不能为空。"))
            return None
        try:
            return parser(value)
        except CellError as error:
            self.error(key, error.reason)
            return None

    def error(self, key: str, reason: str) -> None:
        header = self.spec.header_of(key) if key else ""
        value = self.text(key) if key else ""
        self.errors.append(RowError(self.number, header, str(reason), value))

    def fail(self, key: str, reason: str) -> NoReturn:
        self.error(key, reason)
        raise RowInvalid(list(self.errors))

    def check(self) -> None:
        if self.errors:
            raise RowInvalid(list(self.errors))

    def from_validation(self, error: ValidationError) -> RowInvalid:
        """A service's ValidationError, each message under the column of the field it names."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                column = self.spec.column_for_field(field) if field != NON_FIELD_ERRORS else None
                for message in messages:
                    self.error(column.key if column else "", message)
        else:
            for message in error.messages:
                self.error("", message)
        return RowInvalid(list(self.errors))


class RowHandler:
    """Applies rows of one kind for one actor; remembers keys to catch rows repeated in a file."""

    spec: ClassVar[KindSpec]
    unit_column: ClassVar[str]  # the column naming the unit whose scope decides

    def __init__(self, *, actor: Any, resolver: UnitResolver, reason: str) -> None:
        self.actor = actor
        self.resolver = resolver
        self.reason = reason
        self._seen: dict[Hashable, int] = {}

    def apply(self, number: int, values: dict[str, str]) -> Outcome:
        cells = Cells(self.spec, number, values)
        try:
            return self.apply_cells(cells)
        except ValidationError as error:
            raise cells.from_validation(error) from error
        except (Http404, PermissionDenied) as error:
            cells.error(self.unit_column, self.out_of_scope(cells, self.unit_column))
            raise RowInvalid(list(cells.errors)) from error

    def apply_cells(self, cells: Cells) -> Outcome:
        raise NotImplementedError

    # Helpers for the kinds --------------------------------------------------------------------

    def allowed(self, path: str, action: Action) -> bool:
        """Whether the actor may import `action`-type changes for something at `path`."""
        if is_system(self.actor):
            return True
        if not path:
            return can_unowned(self.actor, action) and can_unowned(self.actor, Action.IMPORT)
        return can(self.actor, path, action) and can(self.actor, path, Action.IMPORT)

    def out_of_scope(self, cells: Cells, key: str) -> str:
        """Missing and forbidden read the same, so a reference reveals nothing out of sight."""
        reference = cells.text(key)
        header = self.spec.header_of(key)
        if is_system(self.actor) or scope_roots(self.actor, Action.VIEW) is EVERYWHERE:
            message = _("%(column)s“%(ref)s”不存在。") % {"column": header, "ref": reference}
        else:
            message = _("%(column)s“%(ref)s”不存在或不在您的管理范围内。") % {
                "column": header,
                "ref": reference,
            }
        if not looks_like_division_code(reference):
            message += _("请填写从最上级单位开始、用“/”分隔的完整路径，或12位区划代码。")
        return message

    def unit(self, cells: Cells, key: str, *, required: bool = False) -> Unit | None:
        reference = cells.text(key)
        if not reference:
            if required:
                cells.error(key, _("必填，不能为空。"))
            return None
        try:
            return self.resolver.resolve(reference)
        except UnitNotFound:
            cells.error(key, self.out_of_scope(cells, key))
        except CellError as error:
            cells.error(key, error.reason)
        return None

    def claim(self, cells: Cells, key: Hashable, column: str, what: str) -> None:
        """Refuse a second row for the record an earlier row of the file already describes."""
        first = self._seen.setdefault(key, cells.number)
        if first != cells.number:
            cells.fail(
                column, _("与第%(row)d行重复（%(what)s相同）。") % {"row": first, "what": what}
            )


def _changes(obj: Any, wanted: dict[str, Any]) -> dict[str, Any]:
    """The wanted values that differ from the object's; None means "not given, keep"."""
    return {
        field: value
        for field, value in wanted.items()
        if value is not None and getattr(obj, field) != value
    }


# Units ---------------------------------------------------------------------------------------


class UnitRows(RowHandler):
    spec = UNITS
    unit_column = "parent"

    def apply_cells(self, cells: Cells) -> Outcome:
        name = cells.required("name")
        kind = cells.parse("kind", KIND, required=True)
        level = cells.parse("level", LEVEL)
        code = cells.parse("division_code", parse_division_code)
        parent = self.unit(cells, "parent")
        cells.check()
        parent_id = parent.pk if parent else None
        if code:
            self.claim(cells, ("code", code), "division_code", _("区划代码"))
        self.claim(cells, ("name", parent_id, name), "name", _("上级单位和单位名称"))
        existing = self._existing(cells, code, parent, name)
        wanted = {
            "name": name,
            "short_name": cells.text("short_name") or None,
            "level": int(level) if level is not None else None,
            "kind": str(kind),
            "division_code": code,
        }
        if existing is None:
            return self._create(cells, parent, wanted)
        if not self.allowed(existing.path, Action.EDIT_UNIT):
            self._refuse(cells, parent)
        changes = _changes(existing, wanted)
        if not changes:
            return Outcome.UNCHANGED
        services.unit_update(actor=self.actor, unit=existing, reason=self.reason, **changes)
        if "name" in changes:
            self.resolver.forget()
        return Outcome.UPDATED

    def _existing(
        self, cells: Cells, code: str | None, parent: Unit | None, name: str
    ) -> Unit | None:
        if code:
            unit = Unit.objects.filter(division_code=code).first()
            if unit is not None:
                if unit.parent_id != (parent.pk if parent else None):
                    self._code_elsewhere(cells, unit, code)
                return unit
        return Unit.objects.filter(parent=parent, name=name).order_by("pk").first()

    def _code_elsewhere(self, cells: Cells, unit: Unit, code: str) -> NoReturn:
        if is_system(self.actor) or can(self.actor, unit.path, Action.VIEW):
            names = [u.name for u in Unit.objects.filter(pk__in=unit.ancestor_ids).order_by("path")]
            cells.fail(
                "division_code",
                _(
                    "区划代码 %(code)s 已属于“%(path)s”，与本行的上级单位不一致；"
                    "调整隶属关系请在单位页面使用“移动”。"
                )
                % {"code": code, "path": "/".join([*names, unit.name])},
            )
        cells.fail("division_code", _("区划代码 %(code)s 已被其他单位使用。") % {"code": code})

    def _refuse(self, cells: Cells, parent: Unit | None) -> NoReturn:
        if parent is None:
            cells.fail("parent", _("只有系统管理员可以导入最上级单位，请填写上级单位。"))
        cells.fail("parent", self.out_of_scope(cells, "parent"))

    def _create(self, cells: Cells, parent: Unit | None, wanted: dict[str, Any]) -> Outcome:
        if parent is None:
            if not (is_system(self.actor) or self.actor.is_superuser):
                self._refuse(cells, None)
        elif not self.allowed(parent.path, Action.EDIT_UNIT):
            self._refuse(cells, parent)
        level = wanted["level"]
        if level is None:
            level = min(parent.level + 1, UnitLevel.BELOW_VILLAGE) if parent else UnitLevel.CITY
        services.unit_create(
            actor=self.actor,
            parent=parent,
            name=wanted["name"],
            level=level,
            kind=wanted["kind"],
            short_name=wanted["short_name"] or "",
            division_code=wanted["division_code"],
        )
        return Outcome.CREATED


# Accounts ------------------------------------------------------------------------------------


class AccountRows(RowHandler):
    spec = ACCOUNTS
    unit_column = "owner"

    def apply_cells(self, cells: Cells) -> Outcome:
        platform = cells.parse("platform", PLATFORM, required=True)
        handle = cells.required("handle")
        name = cells.required("name")
        category = cells.parse("category", CATEGORY, required=True)
        owner = self.unit(cells, "owner")
        followers = cells.parse("followers", parse_count)
        cells.check()
        self.claim(cells, (str(platform), handle), "handle", _("平台和平台账号"))
        wanted: dict[str, Any] = {
            "name": name,
            "category": str(category),
            "owner": owner,  # blank: an existing account keeps its owner
            "operator_name": cells.text("operator_name") or None,
            "operator_phone": cells.text("operator_phone") or None,
            "followers": followers,
        }
        existing = (
            Account.objects.select_related("owner").filter(platform=platform, handle=handle).first()
        )
        if existing is None:
            if owner is None:
                cells.fail("owner", _("新登记的账号必须填写主办单位。"))
            if not self.allowed(owner.path, Action.EDIT_ACCOUNT):
                cells.fail("owner", self.out_of_scope(cells, "owner"))
            services.account_create(
                actor=self.actor,
                platform=str(platform),
                handle=handle,
                name=name,
                category=str(category),
                owner=owner,
                operator_name=wanted["operator_name"] or "",
                operator_phone=wanted["operator_phone"] or "",
                followers=followers or 0,
                reason=self.reason,
            )
            return Outcome.CREATED
        if not self.allowed(existing.owner_path, Action.EDIT_ACCOUNT):
            cells.fail("handle", _("该平台账号已由您管理范围以外的单位登记，不能修改。"))
        moving = owner is not None and owner.pk != existing.owner_id
        if moving and owner and not self.allowed(owner.path, Action.EDIT_ACCOUNT):
            cells.fail("owner", self.out_of_scope(cells, "owner"))
        changes = _changes(existing, wanted)
        if not changes:
            return Outcome.UNCHANGED
        services.account_update(actor=self.actor, account=existing, reason=self.reason, **changes)
        return Outcome.UPDATED


# Grid groups ---------------------------------------------------------------------------------


class GridGroupRows(RowHandler):
    spec = GRID_GROUPS
    unit_column = "owner"

    def apply_cells(self, cells: Cells) -> Outcome:
        name = cells.required("name")
        platform = cells.parse("platform", GROUP_PLATFORM, required=True)
        owner = self.unit(cells, "owner", required=True)
        member_count = cells.parse("member_count", parse_count)
        cells.check()
        assert owner is not None
        self.claim(cells, (owner.pk, name), "name", _("所属村（社区）和群名称"))
        if not self.allowed(owner.path, Action.EDIT_GRID_GROUP):
            cells.fail("owner", self.out_of_scope(cells, "owner"))
        wanted: dict[str, Any] = {
            "platform": str(platform),
            "member_count": member_count,
            "contact_name": cells.text("contact_name") or None,
            "contact_phone": cells.text("contact_phone") or None,
        }
        existing = GridGroup.objects.select_related("owner").filter(owner=owner, name=name).first()
        if existing is None:
            services.grid_group_create(
                actor=self.actor,
                owner=owner,
                name=name,
                platform=str(platform),
                member_count=member_count or 0,
                contact_name=wanted["contact_name"] or "",
                contact_phone=wanted["contact_phone"] or "",
            )
            return Outcome.CREATED
        changes = _changes(existing, wanted)
        if not changes:
            return Outcome.UNCHANGED
        services.grid_group_update(actor=self.actor, group=existing, reason=self.reason, **changes)
        return Outcome.UPDATED


HANDLERS: dict[str, type[RowHandler]] = {
    UNITS.kind: UnitRows,
    ACCOUNTS.kind: AccountRows,
    GRID_GROUPS.kind: GridGroupRows,
}
