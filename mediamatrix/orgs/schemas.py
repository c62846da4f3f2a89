"""Request and response shapes of the registry API (REST v1).

Output schemas read model instances; choice fields come with a translated `*_label`. Input schemas
hold what a client may send and nothing else; the services decide what is allowed and valid.
Patch schemas take any subset of their fields; `null` is accepted only where the model allows it.
"""

from datetime import datetime
from typing import Any, ClassVar

from django.db.models import Choices
from ninja import Field, Schema
from pydantic import ConfigDict, ValidationInfo, computed_field, field_validator

from mediamatrix.orgs.access import ROLE_ACTIONS
from mediamatrix.orgs.choices import (
    AccountCategory,
    AccountStatus,
    GroupPlatform,
    Platform,
    Role,
    UnitKind,
    UnitLevel,
)
from mediamatrix.orgs.models import Account, GridGroup, Membership

REASON_MAX_LENGTH = 2000


def choice_label(choices: type[Choices], value: Any) -> str:
    """The display label of a stored choice, or the value itself if it is not (or no longer) one."""
    return str(dict(choices.choices).get(value, value))


class Error(Schema):
    """Every error answer: a summary and, for invalid input, messages per field.

    Field names are those of the request (`owner_id`, `level` …); `__all__` holds errors about the
    object as a whole (for example a platform and handle that are already registered).
    """

    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


class InputSchema(Schema):
    model_config = ConfigDict(use_enum_values=True, extra="forbid")


class PatchSchema(InputSchema):
    """A partial update: omitted fields stay as they are; `null` only for nullable fields."""

    nullable_fields: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _reject_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.nullable_fields:
            raise ValueError("不能为 null；不修改的字段请省略。")
        return value

    def changes(self) -> dict[str, Any]:
        """The fields the client sent, without `reason`."""
        return self.model_dump(exclude_unset=True, exclude={"reason"})


class ListQuery(Schema):
    """Filters of a list endpoint, read from the query string."""

    model_config = ConfigDict(use_enum_values=True)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_all(cls, value: Any, info: ValidationInfo) -> Any:
        # The pages' filter forms send "" for 全部 (all); the same query strings work here.
        optional = info.field_name is not None and cls.model_fields[info.field_name].default is None
        return None if value == "" and optional else value


# Units ---------------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    parent_id: int | None
    name: str
    short_name: str
    level: int
    kind: str
    division_code: str | None
    created_at: datetime
    updated_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def level_label(self) -> str:
        return choice_label(UnitLevel, self.level)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def kind_label(self) -> str:
        return choice_label(UnitKind, self.kind)


class SubtreeCounts(Schema):
    units: int = Field(description="下级单位数（所有层级）")
    accounts: int = Field(description="本单位及下级单位未注销的账号数")
    grid_groups: int = Field(description="本单位及下级单位在用的网格群数")


class UnitChildOut(UnitOut):
    subtree: SubtreeCounts


class UnitIn(InputSchema):
    parent_id: int | None = Field(
        None, description="上级单位；只有系统管理员可以不填（新建顶级单位）"
    )
    name: str = Field(max_length=100)
    short_name: str = Field("", max_length=50)
    level: UnitLevel
    kind: UnitKind
    division_code: str | None = Field(None, description="12 位统计用区划代码，可不填")


class UnitPatch(PatchSchema):
    nullable_fields = frozenset({"division_code"})

    name: str | None = Field(None, max_length=100)
    short_name: str | None = Field(None, max_length=50)
    level: UnitLevel | None = None
    kind: UnitKind | None = None
    division_code: str | None = None
    reason: str = Field("", max_length=REASON_MAX_LENGTH, description="变更原因，记入审计")


class UnitQuery(ListQuery):
    parent: int | None = Field(None, description="只列出这个单位的直接下级")
    within: int | None = Field(None, description="只列出这个单位及其全部下级")
    level: UnitLevel | None = None
    q: str = Field("", description="名称、简称或区划代码前缀")


# Accounts ------------------------------------------------------------------------------------


class AccountOut(Schema):
    id: int
    platform: str
    handle: str
    name: str
    category: str
    owner_id: int | None
    owner_name: str | None
    operator_name: str
    operator_phone: str
    followers: int
    status: str
    filing_number: str
    filed_at: datetime | None
    closed_at: datetime | None
    last_post_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_owner_name(obj: Account) -> str | None:
        return obj.owner.name if obj.owner is not None else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def platform_label(self) -> str:
        return choice_label(Platform, self.platform)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def category_label(self) -> str:
        return choice_label(AccountCategory, self.category)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status_label(self) -> str:
        return choice_label(AccountStatus, self.status)


class AccountIn(InputSchema):
    platform: Platform
    handle: str = Field(max_length=128, description="平台上的账号ID、微信号或网址域名")
    name: str = Field(max_length=128)
    category: AccountCategory
    owner_id: int | None = Field(None, description="主办单位；不填为无主账号")
    operator_name: str = Field("", max_length=64)
    operator_phone: str = Field("", max_length=32)
    followers: int = Field(0, ge=0)
    reason: str = Field("", max_length=REASON_MAX_LENGTH)


class AccountPatch(PatchSchema):
    """A change of registered details (变更). Status changes go through /file and /close."""

    nullable_fields = frozenset({"owner_id"})

    platform: Platform | None = None
    handle: str | None = Field(None, max_length=128)
    name: str | None = Field(None, max_length=128)
    category: AccountCategory | None = None
    owner_id: int | None = None
    operator_name: str | None = Field(None, max_length=64)
    operator_phone: str | None = Field(None, max_length=32)
    followers: int | None = Field(None, ge=0)
    reason: str = Field("", max_length=REASON_MAX_LENGTH, description="变更原因，记入审计")


class AccountCloseIn(InputSchema):
    reason: str = Field(min_length=1, max_length=REASON_MAX_LENGTH, description="注销原因")


class AccountFileIn(InputSchema):
    filing_number: str = Field(min_length=1, max_length=64, description="备案编号")
    reason: str = Field(min_length=1, max_length=REASON_MAX_LENGTH, description="备案说明")


class AccountQuery(ListQuery):
    """The filters of the account list page, with the same meaning."""

    platform: Platform | None = None
    category: AccountCategory | None = None
    status: AccountStatus | None = None
    level: UnitLevel | None = Field(None, description="主办单位的层级")
    unit: int | None = Field(None, description="只列出这个单位及其下级单位的账号")
    q: str = Field("", description="账号名称、平台账号或主办单位名称")


# Grid groups ---------------------------------------------------------------------------------


class GridGroupOut(Schema):
    id: int
    name: str
    platform: str
    owner_id: int
    owner_name: str
    member_count: int
    contact_name: str
    contact_phone: str
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_owner_name(obj: GridGroup) -> str:
        return obj.owner.name

    @computed_field  # type: ignore[prop-decorator]
    @property
    def platform_label(self) -> str:
        return choice_label(GroupPlatform, self.platform)


class GridGroupIn(InputSchema):
    owner_id: int = Field(description="所属村（社区）级单位")
    name: str = Field(max_length=128)
    platform: GroupPlatform
    member_count: int = Field(0, ge=0)
    contact_name: str = Field("", max_length=64)
    contact_phone: str = Field("", max_length=32)


class GridGroupPatch(PatchSchema):
    owner_id: int | None = None
    name: str | None = Field(None, max_length=128)
    platform: GroupPlatform | None = None
    member_count: int | None = Field(None, ge=0)
    contact_name: str | None = Field(None, max_length=64)
    contact_phone: str | None = Field(None, max_length=32)
    is_active: bool | None = None
    reason: str = Field("", max_length=REASON_MAX_LENGTH, description="变更原因，记入审计")


class GridGroupQuery(ListQuery):
    unit: int | None = Field(None, description="只列出这个单位及其下级单位的网格群")
    platform: GroupPlatform | None = None
    q: str = Field("", description="群名称或所属单位名称")


# Memberships ---------------------------------------------------------------------------------


class MembershipOut(Schema):
    id: int
    user_id: int
    username: str
    user_display_name: str
    unit_id: int
    unit_name: str
    role: str
    created_at: datetime

    @staticmethod
    def resolve_username(obj: Membership) -> str:
        return obj.user.username

    @staticmethod
    def resolve_user_display_name(obj: Membership) -> str:
        return obj.user.display_name

    @staticmethod
    def resolve_unit_name(obj: Membership) -> str:
        return obj.unit.name

    @computed_field  # type: ignore[prop-decorator]
    @property
    def role_label(self) -> str:
        return choice_label(Role, self.role)


class MembershipIn(InputSchema):
    username: str = Field(max_length=150, description="已有用户的用户名")
    unit_id: int
    role: Role


class MembershipQuery(ListQuery):
    unit: int | None = Field(None, description="只列出这个单位的成员角色")


class MyMembershipOut(MembershipOut):
    actions: list[str] = Field(description="这个角色在该单位及其下级单位能做的操作")

    @staticmethod
    def resolve_actions(obj: Membership) -> list[str]:
        return sorted(action.value for action in ROLE_ACTIONS.get(obj.role, frozenset()))


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    is_superuser: bool = Field(description="系统管理员：在全部单位拥有全部权限")
    memberships: list[MyMembershipOut]
    scopes: dict[str, list[int]] = Field(
        description="每种操作可以在哪些单位（及其下级）进行：操作 → 单位 id；系统管理员为空"
    )


# Registry health -----------------------------------------------------------------------------


class UnitRef(Schema):
    id: int
    name: str


class DuplicatePlatformOut(Schema):
    unit: UnitRef
    platform: str
    accounts: list[AccountOut]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def platform_label(self) -> str:
        return choice_label(Platform, self.platform)


class RegistryHealthOut(Schema):
    total: int
    duplicate_platforms: list[DuplicatePlatformOut] = Field(
        description="同一单位在同一平台有多个未注销账号（一单位一平台一账号）"
    )
    unowned_accounts: list[AccountOut] = Field(description="没有主办单位的未注销账号")
    closed_but_posting: list[AccountOut] = Field(description="注销后仍有发布的账号")


# History -------------------------------------------------------------------------------------


class AuditEventOut(Schema):
    id: int
    occurred_at: datetime
    actor_label: str
    verb: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str
    request_id: str
