from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mediamatrix.notices.channels import all_channels


class ChannelConfigForm(forms.Form):
    channel = forms.ChoiceField(label=_("通道"))
    name = forms.CharField(
        label=_("名称"), max_length=100, required=False, help_text=_("例如：区网信办值班群。")
    )
    target = forms.CharField(
        label=_("地址"),
        max_length=1000,
        help_text=_("邮箱地址（可填多个，用逗号分隔），或群机器人的 Webhook 地址。"),
    )
    secret = forms.CharField(
        label=_("加签密钥"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("钉钉、飞书机器人开启“加签”时填写；企业微信和邮件不用。"),
    )
    include_subtree = forms.BooleanField(label=_("同时接收下级单位的通知"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [(c.name, c.label) for c in all_channels()]  # type: ignore[attr-defined]
