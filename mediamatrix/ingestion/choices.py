from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    SUCCEEDED = "succeeded", _("成功")
    PARTIAL = "partial", _("部分成功")
    REJECTED = "rejected", _("未导入（有错误）")
    DRY_RUN = "dry_run", _("试运行")
    FAILED = "failed", _("失败")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("全部正确才导入")
    VALID_ROWS = "valid_rows", _("只导入正确的行")


class SourceState(models.TextChoices):
    OK = "ok", _("正常")
    ERROR = "error", _("出错")
    DISABLED = "disabled", _("已停用")
