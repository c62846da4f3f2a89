"""Check runs and their findings, the review queue, decisions with statements of reasons, appeals.

Decisions, responses and appeal outcomes are append-only: a later record supersedes an earlier
one, nothing is edited, so the whole history of a case stays readable.
"""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediamatrix.core.models import AppendOnlyError
from mediamatrix.core.tree import MAX_PATH_LENGTH
from mediamatrix.ingestion.models import Post
from mediamatrix.review.choices import (
    AppealOutcome,
    CheckRunStatus,
    DecisionKind,
    ItemStatus,
    ResponseKind,
    SeverityLevel,
)

SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3}


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(f"{self.model.__name__} records cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.model.__name__} records cannot be deleted")


class AppendOnly(models.Model):
    objects: ClassVar[AppendOnlyQuerySet] = AppendOnlyQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} records cannot be changed")
        super().save(*args, **kwargs)


class CheckRun(models.Model):
    """One pass of the checks over one post: which versions ran, on which text."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="check_runs")
    owner_path = models.CharField(max_length=MAX_PATH_LENGTH, blank=True)
    content_hash = models.CharField(max_length=64)
    versions = models.JSONField(default=dict)  # check name → version
    # A digest of `versions`: runs made by an older rule set are found by one indexed comparison.
    versions_key = models.CharField(max_length=64, blank=True, db_index=True)
    errors = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=CheckRunStatus.choices)
    finding_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["post", "-created_at"], name="check_run_post_idx")]

    def __str__(self) -> str:
        return f"{self.post_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class ReviewItem(models.Model):
    """A post in the review queue: its open findings wait for a reviewer's decision."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="review_items")
    owner_path = models.CharField(max_length=MAX_PATH_LENGTH, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    severity = models.CharField(_("最高级别"), max_length=8, choices=SeverityLevel.choices)
    categories = models.JSONField(_("问题类别"), default=list)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_items",
    )
    created_at = models.DateTimeField(_("进入队列"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("审核事项")
        verbose_name_plural = _("审核事项")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One live case per post; a decided case closes before a new one opens.
            models.UniqueConstraint(
                fields=["post"],
                condition=models.Q(status__in=["open", "appealed"]),
                name="review_item_one_live_per_post",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "owner_path"], name="review_item_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.post} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("review:item", args=[self.pk])


class CheckFinding(models.Model):
    """A finding of one check run, as the engine returned it, and the case it belongs to."""

    run = models.ForeignKey(CheckRun, on_delete=models.CASCADE, related_name="findings")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(
        ReviewItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="findings"
    )
    owner_path = models.CharField(max_length=MAX_PATH_LENGTH, blank=True)
    rule = models.CharField(_("规则"), max_length=64)
    check_name = models.CharField(_("检查"), max_length=32)
    check_version = models.CharField(max_length=16)
    category = models.CharField(_("类别"), max_length=16)
    severity = models.CharField(_("级别"), max_length=8, choices=SeverityLevel.choices)
    score = models.FloatField(_("置信度"))
    field = models.CharField(max_length=8)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    excerpt = models.CharField(_("原文"), max_length=500)
    message = models.TextField(_("说明"))
    message_en = models.TextField(blank=True)
    suggestion = models.CharField(_("建议"), max_length=200, blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("检查发现")
        verbose_name_plural = _("检查发现")
        ordering = ["field", "start", "id"]
        indexes = [
            models.Index(fields=["rule", "-created_at"], name="finding_rule_idx"),
            models.Index(fields=["post", "-created_at"], name="finding_post_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {self.excerpt}"


class Decision(AppendOnly):
    """A reviewer's decision on a case, with a statement of reasons (DSA-compatible + local)."""

    item = models.ForeignKey(ReviewItem, on_delete=models.PROTECT, related_name="decisions")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="decisions")
    owner_path = models.CharField(max_length=MAX_PATH_LENGTH, blank=True)
    kind = models.CharField(_("决定"), max_length=12, choices=DecisionKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        related_name="review_decisions",
    )
    decided_at = models.DateTimeField(_("决定时间"), default=timezone.now)
    explanation = models.TextField(_("理由说明"))
    local_ground = models.CharField(_("依据条款"), max_length=32, blank=True)
    deadline = models.DateTimeField(_("整改期限"), null=True, blank=True)
    cited = models.ManyToManyField(CheckFinding, related_name="decisions", blank=True)
    # The statement of reasons as exported: every field of the schema, frozen at decision time.
    statement = models.JSONField(_("决定书"), default=dict)
    schema_version = models.CharField(max_length=16)
    # Set when this decision answers an appeal against an earlier decision.
    appeal = models.OneToOneField(
        "Appeal", null=True, blank=True, on_delete=models.PROTECT, related_name="outcome_decision"
    )
    appeal_outcome = models.CharField(
        _("申诉结果"), max_length=12, choices=AppealOutcome.choices, blank=True
    )

    class Meta:
        verbose_name = _("审核决定")
        verbose_name_plural = _("审核决定")
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("review:decision", args=[self.pk])


class UnitResponse(AppendOnly):
    """What the account's unit answered: a reply, a correction done, removal done, an appeal."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="responses")
    kind = models.CharField(_("类型"), max_length=12, choices=ResponseKind.choices)
    text = models.TextField(_("内容"))
    link = models.URLField(_("链接"), max_length=1000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_responses"
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("单位回复")
        verbose_name_plural = _("单位回复")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → #{self.decision_id}"


class Appeal(AppendOnly):
    """An appeal against a decision; another reviewer decides it with a new Decision."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="appeal_of")
    response = models.OneToOneField(UnitResponse, on_delete=models.PROTECT, related_name="appeal")
    owner_path = models.CharField(max_length=MAX_PATH_LENGTH, blank=True)
    filed_at = models.DateTimeField(_("申诉时间"), default=timezone.now)

    class Meta:
        verbose_name = _("申诉")
        verbose_name_plural = _("申诉")
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return f"申诉 #{self.pk} → #{self.decision_id}"


class Debunk(models.Model):
    """An entry of the debunk library (辟谣库) the rumour check matches posts against."""

    claim = models.TextField(_("谣言说法"))
    debunk_text = models.TextField(_("辟谣内容"))
    source = models.CharField(_("来源"), max_length=200, blank=True)
    url = models.URLField(_("链接"), max_length=1000, blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    tags = models.JSONField(_("标签"), default=list, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("辟谣条目")
        verbose_name_plural = _("辟谣条目")
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.claim[:60]


from mediamatrix.review.models_dedup import DedupBand, DedupSignature  # noqa: E402, F401
