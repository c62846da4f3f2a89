"""Index scores per account and unit and period, and the bulletins built from them."""

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediamatrix.core.tree import MAX_PATH_LENGTH
from mediamatrix.engines.indices import Period
from mediamatrix.indices.choices import BulletinStatus, PeriodKind, SubjectKind
from mediamatrix.ingestion.models import MetricValues, Post
from mediamatrix.orgs.models import Account, Unit


class SettledMetrics(MetricValues):
    """A post's metrics as indices count them: as they stood `settle_days` after publishing.

    The latest snapshot at or before then, failing that the earliest, failing that the post's
    own figures (docs/indices.md); one row for every post and settle-day count, with what a
    ranking groups and filters by copied beside the figures, so a month's ranking is one
    aggregate over this table. Kept in step as ingestion writes posts (`indices.settled`).
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    settle_days = models.PositiveSmallIntegerField()
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    platform = models.CharField(max_length=24)
    published_at = models.DateTimeField()
    local_day = models.DateField()  # the publishing day in the office's time zone
    position = models.PositiveSmallIntegerField(null=True, blank=True)
    is_original = models.BooleanField(null=True, blank=True)
    # As the formulas count them: reads with WeChat's 10万+ cap applied (a change of the cap
    # setting needs `settled_refresh()`), and likes + comments + shares.
    counted_reads = models.PositiveBigIntegerField(default=0)
    interactions = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "settle_days"], name="settled_metrics_once"),
        ]
        indexes = [
            models.Index(fields=["settle_days", "published_at"], name="settled_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} +{self.settle_days}d"


class IndexScore(models.Model):
    """One formula's value for one account or unit over one period, with everything behind it.

    `inputs` are the numbers the formula read, `terms` its intermediate results, `input_hash` a
    digest of formula, version, inputs and parameters: recomputing from the same posts gives the
    same hash and the same value.
    """

    formula = models.CharField(_("指数"), max_length=32)
    formula_version = models.CharField(_("版本"), max_length=16)
    period_kind = models.CharField(_("周期"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("起始日"))
    period_end = models.DateField(_("截止日"))
    subject_kind = models.CharField(_("对象"), max_length=8, choices=SubjectKind.choices)
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.CASCADE, related_name="index_scores"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="index_scores"
    )
    # Copies for scoped, filtered rankings without joins: the owner's path, platform, category
    # and the level of the unit (an account's owner, or the unit itself).
    owner_path = models.CharField(max_length=MAX_PATH_LENGTH, blank=True)
    platform = models.CharField(max_length=24, blank=True)
    category = models.CharField(max_length=16, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    value = models.FloatField(_("指数值"))
    post_count = models.PositiveIntegerField(_("稿件数"), default=0)
    inputs = models.JSONField(_("输入"), default=dict)
    terms = models.JSONField(_("中间项"), default=dict)
    params = models.JSONField(_("参数"), default=dict)
    input_hash = models.CharField(_("输入指纹"), max_length=64)
    computed_at = models.DateTimeField(_("计算时间"), default=timezone.now)

    class Meta:
        verbose_name = _("指数得分")
        verbose_name_plural = _("指数得分")
        constraints = [
            models.UniqueConstraint(
                fields=["formula", "period_kind", "period_start", "period_end", "account"],
                condition=models.Q(subject_kind="account"),
                name="index_score_account_once",
            ),
            models.UniqueConstraint(
                fields=["formula", "period_kind", "period_start", "period_end", "unit"],
                condition=models.Q(subject_kind="unit"),
                name="index_score_unit_once",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(subject_kind="account", account__isnull=False, unit__isnull=True)
                    | models.Q(subject_kind="unit", unit__isnull=False, account__isnull=True)
                ),
                name="index_score_one_subject",
            ),
        ]
        indexes = [
            # The ranking query: one formula, one period, a scope, ordered by value.
            models.Index(
                fields=["formula", "period_kind", "period_start", "period_end", "owner_path"],
                name="index_score_ranking_idx",
            ),
            models.Index(
                fields=["account", "formula", "period_kind"], name="index_score_trend_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.formula} {self.period_start}–{self.period_end}: {self.value:.2f}"

    def get_absolute_url(self) -> str:
        return reverse("indices:score-detail", args=[self.pk])

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end, self.period_kind)  # type: ignore[arg-type]

    @property
    def subject(self) -> Account | Unit | None:
        return self.account if self.subject_kind == SubjectKind.ACCOUNT else self.unit


class ScoreRun(models.Model):
    """One computation of a period's scores: what was asked, how far it got, what it wrote."""

    period_kind = models.CharField(_("周期"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("起始日"))
    period_end = models.DateField(_("截止日"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=BulletinStatus.choices, default=BulletinStatus.QUEUED
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    accounts = models.PositiveIntegerField(_("账号数"), default=0)
    scores = models.PositiveIntegerField(_("得分数"), default=0)
    message = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("指数计算")
        verbose_name_plural = _("指数计算")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.period_kind} {self.period_start}–{self.period_end} ({self.status})"

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end, self.period_kind)  # type: ignore[arg-type]


class Bulletin(models.Model):
    """A period's bulletin (通报) for one scope: archived, versioned, reproducible.

    `data` holds every number the documents show, as computed; the .docx and .xlsx are rendered
    from it, so a re-render gives the same documents and a new version is a new row.
    """

    scope = models.ForeignKey(
        Unit, verbose_name=_("范围"), on_delete=models.PROTECT, related_name="bulletins"
    )
    scope_path = models.CharField(max_length=MAX_PATH_LENGTH)
    period_kind = models.CharField(_("周期"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("起始日"))
    period_end = models.DateField(_("截止日"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    title = models.CharField(_("标题"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=16, choices=BulletinStatus.choices, default=BulletinStatus.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("生成人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    rectify_by = models.DateField(_("整改期限"), null=True, blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    data_hash = models.CharField(_("数据指纹"), max_length=64, blank=True)
    docx_file = models.CharField(max_length=255, blank=True)
    xlsx_file = models.CharField(max_length=255, blank=True)
    message = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-period_start", "-version", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "period_kind", "period_start", "period_end", "version"],
                name="bulletin_version_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("indices:bulletin-detail", args=[self.pk])

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end, self.period_kind)  # type: ignore[arg-type]

    def summary(self) -> dict[str, Any]:
        return dict(self.data.get("summary", {}))
