from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    DAY = "day", _("日榜")
    WEEK = "week", _("周榜")
    MONTH = "month", _("月榜")
    QUARTER = "quarter", _("季榜")
    YEAR = "year", _("年榜")
    CUSTOM = "custom", _("自定义")


class SubjectKind(models.TextChoices):
    ACCOUNT = "account", _("账号")
    UNIT = "unit", _("单位")


class BulletinStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已生成")
    FAILED = "failed", _("失败")
