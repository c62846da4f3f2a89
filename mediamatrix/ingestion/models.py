"""Posts and their metrics as they arrive from every source, and the runs that brought them."""

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediamatrix.core.models import TimeStampedModel
from mediamatrix.core.tree import MAX_PATH_LENGTH
from mediamatrix.ingestion.choices import ImportMode, ImportStatus, SourceState
from mediamatrix.orgs.models import Account

METRIC_FIELDS = ("reads", "likes", "wows", "shares", "comments", "favourites", "plays")
METRIC_LABELS = {
    "reads": _("阅读"),
    "likes": _("点赞"),
    "wows": _("在看"),
    "shares": _("分享"),
    "comments": _("评论"),
    "favourites": _("收藏"),
    "plays": _("播放"),
}


class MetricValues(models.Model):
    """The counters every platform reports in some subset; missing ones stay 0."""

    reads = models.PositiveBigIntegerField(METRIC_LABELS["reads"], default=0)
    likes = models.PositiveBigIntegerField(METRIC_LABELS["likes"], default=0)
    wows = models.PositiveBigIntegerField(METRIC_LABELS["wows"], default=0)
    shares = models.PositiveBigIntegerField(METRIC_LABELS["shares"], default=0)
    comments = models.PositiveBigIntegerField(METRIC_LABELS["comments"], default=0)
    favourites = models.PositiveBigIntegerField(METRIC_LABELS["favourites"], default=0)
    plays = models.PositiveBigIntegerField(METRIC_LABELS["plays"], default=0)

    class Meta:
        abstract = True


class Post(TimeStampedModel, MetricValues):
    """One published item of an account; the metric fields hold the latest snapshot."""

    account = models.ForeignKey(
        Account, verbose_name=_("账号"), on_delete=models.PROTECT, related_name="posts"
    )
    # Copies of the account's owner path and platform: scoped lists and filters need no join.
    owner_path = models.CharField(max_length=MAX_PATH_LENGTH, blank=True)
    platform = models.CharField(_("平台"), max_length=24)
    external_id = models.CharField(_("平台内容ID"), max_length=191)
    url = models.URLField(_("链接"), max_length=1000, blank=True)
    title = models.CharField(_("标题"), max_length=500)
    author = models.CharField(_("作者"), max_length=128, blank=True)
    digest = models.TextField(_("摘要"), blank=True)
    body_html = models.TextField(_("正文（原文）"), blank=True)
    body_text = models.TextField(_("正文（规范化文本）"), blank=True)
    published_at = models.DateTimeField(_("发布时间"))
    position = models.PositiveSmallIntegerField(
        _("推送位置"), null=True, blank=True, help_text=_("1 为头条")
    )
    is_original = models.BooleanField(_("声明原创"), null=True, blank=True)
    declared_source = models.CharField(_("来源/转载自"), max_length=200, blank=True)
    content_hash = models.CharField(_("内容指纹"), max_length=64)
    metrics_at = models.DateTimeField(_("数据时间"), null=True, blank=True)
    source = models.CharField(_("采集来源"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("稿件")
        verbose_name_plural = _("稿件")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "external_id"], name="post_account_external"
            ),
        ]
        indexes = [
            models.Index(fields=["owner_path", "-published_at"], name="post_scope_time_idx"),
            models.Index(fields=["account", "-published_at"], name="post_account_time_idx"),
            models.Index(fields=["-published_at"], name="post_time_idx"),
            models.Index(fields=["content_hash"], name="post_content_hash_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ingestion:post-detail", args=[self.pk])

    @property
    def is_headline(self) -> bool:
        return self.position == 1


class MetricSnapshot(MetricValues):
    """A post's counters as captured at one moment; the history behind the charts."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="snapshots")
    captured_at = models.DateTimeField(_("采集时间"))

    class Meta:
        verbose_name = _("数据快照")
        verbose_name_plural = _("数据快照")
        ordering = ["captured_at"]
        constraints = [
            models.UniqueConstraint(fields=["post", "captured_at"], name="metric_snapshot_once"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} @ {self.captured_at:%Y-%m-%d %H:%M}"


class AccountSnapshot(models.Model):
    """An account's follower count over time."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="snapshots")
    captured_at = models.DateTimeField(_("采集时间"))
    followers = models.PositiveBigIntegerField(_("粉丝数"))

    class Meta:
        ordering = ["captured_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "captured_at"], name="account_snapshot_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} @ {self.captured_at:%Y-%m-%d}: {self.followers}"


class ImportRun(models.Model):
    """One ingestion run: a file, a push batch or a pull, with its counts and row errors."""

    connector = models.CharField(_("来源"), max_length=32)
    source = models.ForeignKey(
        "Source",
        verbose_name=_("采集源"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Where the run may be seen: the actor's top unit, or the source's account owner.
    scope_path = models.CharField(max_length=MAX_PATH_LENGTH, blank=True)
    filename = models.CharField(_("文件"), max_length=255, blank=True)
    stored_file = models.CharField(max_length=255, blank=True)
    mode = models.CharField(
        _("导入方式"), max_length=16, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING
    )
    dry_run = models.BooleanField(_("试运行"), default=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    rows_total = models.PositiveIntegerField(_("总行数"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("已处理"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变"), default=0)
    rejected = models.PositiveIntegerField(_("拒绝"), default=0)
    # [{"row": 3, "field": "阅读数", "reason": "...", "value": "..."}], capped; error_count is exact.
    errors = models.JSONField(_("错误"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    message = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["scope_path", "-created_at"], name="import_run_scope_idx")]

    def __str__(self) -> str:
        return f"{self.connector} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("ingestion:import-run", args=[self.pk])

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    @property
    def is_finished(self) -> bool:
        return self.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING)

    @property
    def progress_percent(self) -> int | None:
        if not self.rows_total:
            return None
        return min(100, round(100 * self.rows_done / self.rows_total))


class Source(TimeStampedModel):
    """A pull source for one account: an RSS/Atom feed, a WeChat Official Account API, …"""

    connector = models.CharField(_("类型"), max_length=32)
    account = models.ForeignKey(
        Account, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="sources"
    )
    owner_path = models.CharField(max_length=MAX_PATH_LENGTH, blank=True)
    name = models.CharField(_("名称"), max_length=128)
    # Non-secret settings (a feed URL, an app id); shown on pages.
    config = models.JSONField(_("配置"), default=dict, blank=True)
    # Credentials (an app secret); never rendered, logged or returned by the API.
    secret = models.TextField(blank=True)
    # The connector's own memory between pulls (ETag, Last-Modified, cursors, cached tokens).
    state = models.JSONField(default=dict, blank=True)
    enabled = models.BooleanField(_("启用"), default=True)
    interval_minutes = models.PositiveIntegerField(_("采集间隔（分钟）"), default=60)
    status = models.CharField(
        _("状态"), max_length=16, choices=SourceState.choices, default=SourceState.OK
    )
    last_pulled_at = models.DateTimeField(_("上次采集"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("上次成功"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    consecutive_failures = models.PositiveIntegerField(_("连续失败次数"), default=0)
    next_pull_at = models.DateTimeField(_("下次采集"), default=timezone.now)

    class Meta:
        verbose_name = _("采集源")
        verbose_name_plural = _("采集源")
        ordering = ["owner_path", "name"]
        indexes = [
            models.Index(fields=["enabled", "next_pull_at"], name="source_due_idx"),
            models.Index(fields=["owner_path"], name="source_scope_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("ingestion:source-detail", args=[self.pk])

    def __repr__(self) -> str:  # never include the secret
        return f"<Source {self.pk} {self.connector} {self.name!r}>"

    def safe_dict(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "connector": self.connector,
            "name": self.name,
            "config": self.config,
        }
