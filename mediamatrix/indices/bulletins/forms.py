"""The form that asks for a bulletin (scope, kind of period, period) and the archive's filter."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediamatrix.engines.indices import Period, PeriodError, last_complete, parse_period
from mediamatrix.indices.bulletins.selectors import bulletin_scopes
from mediamatrix.orgs.models import Unit

KIND_CHOICES = [
    ("week", _("周")),
    ("month", _("月")),
    ("quarter", _("季度")),
    ("year", _("年")),
    ("custom", _("自定义")),
]
RECENT = {"week": 8, "month": 12, "quarter": 4, "year": 2}


def recent_periods(today: date | None = None) -> list[Period]:
    """The last complete periods of each kind, newest first: the form's suggestions."""
    today = today or timezone.localdate()
    periods = []
    for kind, count in RECENT.items():
        period = last_complete(kind, today)  # type: ignore[arg-type]
        for _step in range(count):
            periods.append(period)
            period = period.previous()
    return periods


class BulletinFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("周期"), choices=[("", _("全部")), *KIND_CHOICES], required=False
    )


class BulletinForm(forms.Form):
    scope: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=_("范围"), queryset=Unit.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("周期类型"), choices=KIND_CHOICES, initial="month")
    period = forms.CharField(
        label=_("周期"),
        max_length=40,
        help_text=_("如 month:2026-10、week:2026-11-15、quarter:2026-Q3、year:2025"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = bulletin_scopes(user)  # type: ignore[attr-defined]
        self.fields["period"].widget.attrs["list"] = "bulletin-periods"
        if not self.is_bound:
            self.initial.setdefault("period", last_complete("month", timezone.localdate()).key)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        key, kind = data.get("period"), data.get("kind")
        if not key or not kind:
            return data
        try:
            period = parse_period(key)
        except PeriodError:
            self.add_error("period", _("无法识别的周期，请按示例填写。"))
            return data
        if period.kind != kind:
            self.add_error("period", _("周期与所选周期类型不一致。"))
        elif period.end >= timezone.localdate():
            self.add_error("period", _("只能为已经结束的周期生成通报。"))
        data["period_value"] = period
        return data
