"""Email through Django's configured backend (SMTP in production, locmem in tests)."""

import re
import smtplib
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mediamatrix.notices.channels.base import Channel, ChannelError, plain_text, register_channel

_SEPARATORS = re.compile(r"[,;，；\s]+")


@register_channel("email")
class EmailChannel(Channel):
    label = gettext_lazy("电子邮件")
    target_label = gettext_lazy("邮箱地址")
    target_help = gettext_lazy("可填写多个地址，用逗号分隔。")

    def addresses(self, target: str) -> list[str]:
        return [address for address in _SEPARATORS.split(target) if address]

    def clean_target(self, target: str) -> str:
        addresses = self.addresses(target)
        if not addresses:
            raise ValidationError(_("请填写邮箱地址。"))
        for address in addresses:
            validate_email(address)
        return ", ".join(addresses)

    def send(self, notice: Any, config: Any) -> None:
        try:
            send_mail(notice.subject, plain_text(notice), None, self.addresses(config.target))
        except (smtplib.SMTPException, OSError) as error:
            raise ChannelError(
                _("邮件发送失败（%(kind)s：%(detail)s）。")
                % {"kind": type(error).__name__, "detail": error}
            ) from None
