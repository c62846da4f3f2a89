"""The rankings filter: a period (kind and the picker for that kind), a board and a scope."""

import re
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mediamatrix.engines.indices import (
    Period,
    containing,
    last_complete,
    parse_period,
)
from mediamatrix.indices.selectors import (
    BOARD_FORCES,
    BOARD_PLATFORM,
    BOARD_UNIT_COMPOSITE,
    BOARD_UNIT_FORCES,
    DEFAULT_PLATFORM,
)
from mediamatrix.orgs.choices import AccountCategory, Platform, UnitLevel
from mediamatrix.orgs.models import Unit

KIND_CHOICES = [
    ("day", _("日")),
    ("week", _("周")),
    ("month", _("月")),
    ("quarter", _("季")),
    ("year", _("年")),
    ("custom", _("自定义")),
]
BOARD_CHOICES = [
    (BOARD_PLATFORM, _("平台榜（账号）")),
    (BOARD_FORCES, _("四力榜（账号）")),
    (BOARD_UNIT_COMPOSITE, _("单位综合榜")),
    (BOARD_UNIT_FORCES, _("单位四力榜")),
]
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
# Which picker each kind reads; the page shows only the current kind's (rankings.js).
PICKERS = {
    "day": ("day",),
    "week": ("day",),
    "month": ("month",),
    "quarter": ("quarter",),
    "year": ("year",),
    "custom": ("start", "end"),
}


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def period_fields(period: Period) -> dict[str, str]:
    """The form values that pick `period` (for links and for showing the chosen period)."""
    fields: dict[str, str] = {"kind": period.kind}
    match period.kind:
        case "day" | "week":
            fields["day"] = period.start.isoformat()
        case "month":
            fields["month"] = f"{period.start:%Y-%m}"
        case "quarter":
            fields["quarter"] = period.key.removeprefix("quarter:")
        case "year":
            fields["year"] = str(period.start.year)
        case _:
            fields.update(start=period.start.isoformat(), end=period.end.isoformat())
    return fields


class RankingForm(forms.Form):
    kind = forms.ChoiceField(label=_("周期"), choices=KIND_CHOICES)
    day = forms.DateField(label=_("日期"), required=False, widget=_date_input())
    month = forms.CharField(
        label=_("月份"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-10"}),
    )
    quarter = forms.ChoiceField(label=_("季度"), required=False)
    year = forms.IntegerField(label=_("年份"), required=False, min_value=2000, max_value=2100)
    start = forms.DateField(label=_("起"), required=False, widget=_date_input())
    end = forms.DateField(label=_("止"), required=False, widget=_date_input())
    board = forms.ChoiceField(label=_("榜单"), choices=BOARD_CHOICES)
    platform = forms.ChoiceField(
        label=_("平台"), required=False, choices=[("", _("全部平台")), *Platform.choices]
    )
    scope = forms.TypedChoiceField(label=_("范围"), required=False, coerce=int, empty_value=None)
    category = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部")), *AccountCategory.choices]
    )
    level = forms.TypedChoiceField(
        label=_("层级"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全部层级")), *UnitLevel.choices[:4]],
    )
    departments = forms.BooleanField(label=_("含部门、媒体单位"), required=False)

    def __init__(self, data: dict[str, Any], *, units: list[Unit], today: date) -> None:
        super().__init__(data)
        self.today = today
        years = range(today.year, today.year - 3, -1)
        quarters = [parse_period(f"quarter:{y}-Q{q}") for y in years for q in (4, 3, 2, 1)]
        self.fields["quarter"].choices = [  # type: ignore[attr-defined]
            (p.key.removeprefix("quarter:"), p.label) for p in quarters if p.start <= today
        ]
        top = min((len(u.path) for u in units), default=0)
        indent = "\u3000"  # full-width space: the tree shows in a plain select
        scopes: list[tuple[Any, str]] = [
            (u.pk, indent * ((len(u.path) - top) // 10) + u.name) for u in units
        ]
        if len({u.path[:top] for u in units}) != 1:
            scopes.insert(0, ("", str(_("全部可见范围"))))
        self.fields["scope"].choices = scopes  # type: ignore[attr-defined]

    def clean_month(self) -> str:
        value: str = self.cleaned_data["month"].strip()
        if value and not MONTH.match(value):
            raise forms.ValidationError(_("月份格式为 2026-10。"))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind and not self.errors:
            try:
                data["period"] = self._period(kind, data)
            except forms.ValidationError as error:
                self.add_error(None, error)
        if data.get("board") == BOARD_PLATFORM and not data.get("platform"):
            data["platform"] = DEFAULT_PLATFORM
        return data

    def _period(self, kind: str, data: dict[str, Any]) -> Period:
        """The chosen period; a kind whose picker is empty means its last complete period."""
        match kind:
            case "day" | "week" if data.get("day"):
                return containing(kind, data["day"])
            case "month" if data.get("month"):
                return parse_period(f"month:{data['month']}")
            case "quarter" if data.get("quarter") and QUARTER.match(data["quarter"]):
                return parse_period(f"quarter:{data['quarter']}")
            case "year" if data.get("year"):
                return containing("year", date(data["year"], 1, 1))
            case "custom":
                if not (data.get("start") and data.get("end")):
                    raise forms.ValidationError(_("自定义周期需填写起止日期。"))
                if data["end"] < data["start"]:
                    raise forms.ValidationError(_("截止日不能早于起始日。"))
                return Period(data["start"], data["end"], "custom")
        return last_complete(kind, self.today)  # type: ignore[arg-type]

    def show_period(self, period: Period) -> None:
        """Fill the picker of the resolved period, so the form shows what the table shows."""
        self.data = {**self.data, **period_fields(period)}
