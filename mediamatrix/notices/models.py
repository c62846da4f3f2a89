"""Notices to units, who read them, where else they go (channel configs) and each delivery.

A notice is addressed to one unit and shows in the inbox of everyone who holds a role there.
Each enabled channel config of the unit (or of an ancestor that subscribed to its subtree) gets
one Delivery, which is sent after commit and retried with backoff until it succeeds or gives up.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediamatrix.core.tree import MAX_PATH_LENGTH
from mediamatrix.notices.channels import channel_label
from mediamatrix.notices.choices import DeliveryStatus
from mediamatrix.orgs.models import Unit


class Notice(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("接收单位"), on_delete=models.CASCADE, related_name="notices"
    )
    # Copied from the unit so that subtree inboxes are one range scan; follows unit moves.
    unit_path = models.CharField(max_length=MAX_PATH_LENGTH)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)  # site-relative
    verb = models.CharField(_("类型"), max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    # The same event announced twice (a retried request, a re-run job) makes one notice.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "-created_at"], name="notice_unit_idx"),
            models.Index(fields=["unit_path", "-created_at"], name="notice_unit_path_idx"),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("notices:open", args=[self.pk])

    @property
    def site_link(self) -> str:
        """The link if it stays on this site (a path), else "": never a redirect elsewhere."""
        link = self.link
        return link if link.startswith("/") and not link.startswith(("//", "/\\")) else ""


class NoticeRead(models.Model):
    """A user opened the notice (or marked it read): the receipt that the unit was told."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_reads"
    )
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="notice_read_once"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} ← {self.user_id}"


class ChannelConfig(models.Model):
    """Where a unit also wants its notices: an email address or a chat-bot webhook."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="notice_channels"
    )
    unit_path = models.CharField(max_length=MAX_PATH_LENGTH)
    channel = models.CharField(_("通道"), max_length=32)  # a name in the channel registry
    name = models.CharField(_("名称"), max_length=100, blank=True)
    target = models.CharField(_("地址"), max_length=1000)  # email address or webhook URL
    # A signing secret (DingTalk, Feishu); never rendered, logged or returned.
    secret = models.CharField(_("加签密钥"), max_length=200, blank=True)
    include_subtree = models.BooleanField(_("同时接收下级单位的通知"), default=False)
    enabled = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    last_ok_at = models.DateTimeField(_("最近成功"), null=True, blank=True)
    last_failed_at = models.DateTimeField(_("最近失败"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)

    class Meta:
        verbose_name = _("通知通道")
        verbose_name_plural = _("通知通道")
        ordering = ["unit_path", "channel", "id"]
        indexes = [
            models.Index(fields=["unit_path", "enabled"], name="notice_channel_path_idx"),
        ]

    def __str__(self) -> str:
        return self.name or f"{channel_label(self.channel)} · {self.target_display}"

    def __repr__(self) -> str:  # never include the secret
        return f"<ChannelConfig {self.pk} {self.channel} unit={self.unit_id}>"

    @property
    def target_display(self) -> str:
        """The target without what would let a reader post to it (webhook keys and tokens)."""
        if "@" in self.target and "://" not in self.target:
            return self.target
        parts = urlsplit(self.target)
        return f"{parts.scheme}://{parts.netloc}{parts.path}" + ("?…" if parts.query else "")


class Delivery(models.Model):
    """One notice through one channel config: attempts, backoff, the platform's last answer."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    config = models.ForeignKey(ChannelConfig, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=32)
    status = models.CharField(
        _("状态"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    # When a sender may claim it next; a claim moves it ahead, so a crashed send is retried.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("通知投递")
        verbose_name_plural = _("通知投递")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "config"], name="delivery_once_per_config"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} → {self.channel} ({self.status})"
