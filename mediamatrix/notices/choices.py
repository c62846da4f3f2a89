from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("失败，待重试")
    GAVE_UP = "gave_up", _("已放弃")


# Deliveries that a send or a retry pass may still claim.
OPEN_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)
