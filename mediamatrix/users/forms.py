from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(label=_("令牌名称"), max_length=100, help_text=_("例如：数据推送脚本"))
    days = forms.IntegerField(
        label=_("有效天数"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=_("留空为长期有效"),
    )
