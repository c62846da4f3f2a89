from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckRunStatus(models.TextChoices):
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class SeverityLevel(models.TextChoices):
    INFO = "info", _("提示")
    LOW = "low", _("轻微")
    MEDIUM = "medium", _("一般")
    HIGH = "high", _("严重")


class ItemStatus(models.TextChoices):
    OPEN = "open", _("待审核")
    DECIDED = "decided", _("已处理")
    APPEALED = "appealed", _("申诉中")
    CLOSED = "closed", _("已办结")


class DecisionKind(models.TextChoices):
    DISMISS = "dismiss", _("驳回（误报）")
    CORRECTION = "correction", _("责令更正")
    TAKEDOWN = "takedown", _("责令删除")
    WARNING = "warning", _("警示")
    ESCALATE = "escalate", _("上报")


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("维持原决定")
    REVERSED = "reversed", _("撤销原决定")


class ResponseKind(models.TextChoices):
    REPLY = "reply", _("回复")
    CORRECTED = "corrected", _("已更正")
    REMOVED = "removed", _("已删除")
    APPEAL = "appeal", _("申诉")
