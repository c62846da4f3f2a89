from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mediamatrix.core.models import TimeStampedModel
from mediamatrix.core.tree import MAX_PATH_LENGTH, depth, path_ids
from mediamatrix.orgs.choices import (
    AccountCategory,
    AccountStatus,
    GroupPlatform,
    Platform,
    Role,
    UnitKind,
    UnitLevel,
)

division_code_validator = RegexValidator(r"^\d{12}$", _("统计用区划代码应为12位数字。"))


class Unit(TimeStampedModel):
    """A node of the administrative tree (city → county → township → village, deeper allowed)."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Ancestors' ids and our own, zero-padded: a subtree is one index range (core.tree).
    path = models.CharField(max_length=MAX_PATH_LENGTH, editable=False)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    level = models.PositiveSmallIntegerField(_("层级"), choices=UnitLevel.choices)
    kind = models.CharField(_("类型"), max_length=16, choices=UnitKind.choices)
    division_code = models.CharField(
        _("区划代码"),
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        validators=[division_code_validator],
        help_text=_("国家统计局统计用区划代码（12位），没有可不填。"),
    )

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]
        indexes = [models.Index(fields=["level", "path"], name="unit_level_path_idx")]
        # Plain B-tree indexes (Meta, not db_index): subtree queries are ranges, never LIKE, so
        # PostgreSQL's extra varchar_pattern_ops index would only slow writes.
        constraints = [
            models.UniqueConstraint(fields=["path"], name="unit_path_unique"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1) & models.Q(level__lte=5),
                name="unit_level_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:unit-detail", args=[self.pk])

    @property
    def depth(self) -> int:
        return depth(self.path)

    @property
    def ancestor_ids(self) -> list[int]:
        return path_ids(self.path)[:-1]

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Account(TimeStampedModel):
    """An official account on one platform, owned by a unit."""

    platform = models.CharField(_("平台"), max_length=24, choices=Platform.choices)
    handle = models.CharField(
        _("平台账号"),
        max_length=128,
        help_text=_("平台上的账号ID、微信号或网址域名，同一平台内唯一。"),
    )
    name = models.CharField(_("账号名称"), max_length=128)
    category = models.CharField(_("类别"), max_length=16, choices=AccountCategory.choices)
    owner = models.ForeignKey(
        Unit,
        verbose_name=_("主办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    # Copied from the owner so scoped list queries need no join; services keep it in step.
    owner_path = models.CharField(max_length=MAX_PATH_LENGTH, blank=True)
    operator_name = models.CharField(_("运维联系人"), max_length=64, blank=True)
    operator_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    followers = models.PositiveBigIntegerField(_("粉丝数"), default=0)
    status = models.CharField(
        _("状态"), max_length=16, choices=AccountStatus.choices, default=AccountStatus.PENDING
    )
    filing_number = models.CharField(_("备案编号"), max_length=64, blank=True)
    filed_at = models.DateTimeField(_("备案时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("注销时间"), null=True, blank=True)
    last_post_at = models.DateTimeField(_("最近发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")
        ordering = ["owner_path", "platform", "name"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "handle"], name="account_platform_handle"),
        ]
        indexes = [
            models.Index(fields=["owner_path"], name="account_owner_path_idx"),
            models.Index(fields=["owner_path", "platform"], name="account_scope_platform_idx"),
            models.Index(fields=["status", "owner_path"], name="account_status_scope_idx"),
        ]

    def __str__(self) -> str:
        return _("%(name)s（%(platform)s）") % {
            "name": self.name,
            "platform": self.get_platform_display(),
        }

    def get_absolute_url(self) -> str:
        return reverse("orgs:account-detail", args=[self.pk])


class GridGroup(TimeStampedModel):
    """A residents' chat group run by a village or community, a target for notices."""

    name = models.CharField(_("群名称"), max_length=128)
    platform = models.CharField(_("平台"), max_length=16, choices=GroupPlatform.choices)
    owner = models.ForeignKey(
        Unit, verbose_name=_("所属村（社区）"), on_delete=models.PROTECT, related_name="grid_groups"
    )
    owner_path = models.CharField(max_length=MAX_PATH_LENGTH)
    member_count = models.PositiveIntegerField(_("成员数"), default=0)
    contact_name = models.CharField(_("群主/联系人"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("网格群")
        verbose_name_plural = _("网格群")
        ordering = ["owner_path", "name"]
        indexes = [models.Index(fields=["owner_path"], name="grid_group_owner_path_idx")]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="grid_group_owner_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:grid-group-detail", args=[self.pk])


class Membership(TimeStampedModel):
    """A user's role in a unit; it applies to the unit's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("成员角色")
        verbose_name_plural = _("成员角色")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"
