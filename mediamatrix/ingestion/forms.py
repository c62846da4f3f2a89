from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediamatrix.orgs.choices import AccountCategory, Platform

PERIODS = [
    ("", _("全部时间")),
    ("1", _("今天")),
    ("7", _("近 7 天")),
    ("30", _("近 30 天")),
    ("90", _("近 90 天")),
]


class PostFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索标题或正文"), required=False)
    platform = forms.ChoiceField(
        label=_("平台"), required=False, choices=[("", _("全部")), *Platform.choices]
    )
    category = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部")), *AccountCategory.choices]
    )
    period = forms.ChoiceField(label=_("时间"), required=False, choices=PERIODS)
    since = forms.DateField(
        label=_("起"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("止"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    account = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def time_window(self) -> tuple[datetime | None, datetime | None]:
        """The [since, until) window in the server's time zone: a preset or explicit dates."""
        data: dict[str, Any] = self.cleaned_data
        tz = timezone.get_current_timezone()
        if data.get("period"):
            today = timezone.localdate()
            start = today - timedelta(days=int(data["period"]) - 1)
            return datetime.combine(start, time.min, tz), None
        since = datetime.combine(data["since"], time.min, tz) if data.get("since") else None
        until = (
            datetime.combine(data["until"] + timedelta(days=1), time.min, tz)
            if data.get("until")
            else None
        )
        return since, until
