"""Forms of the review pages. They parse; the services validate what a decision needs, and the
views put the services' errors back on these forms' fields."""

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediamatrix.engines.checks import CATEGORIES, checks
from mediamatrix.review.choices import (
    AppealOutcome,
    DecisionKind,
    ItemStatus,
    ResponseKind,
    SeverityLevel,
)
from mediamatrix.review.grounds import ground_choices
from mediamatrix.review.models import CheckFinding
from mediamatrix.review.selectors import ASSIGNED_ME, ASSIGNED_NONE

ALL = [("", _("全部"))]
CATEGORY_LABELS = {
    "clickbait": _("标题党"),
    "vulgar": _("低俗"),
    "typo": _("错别字"),
    "term": _("表述错误"),
    "number": _("数字错误"),
    "punctuation": _("标点"),
    "originality": _("抄袭洗稿"),
    "source": _("转载来源"),
    "rumour": _("谣言"),
}


def category_choices() -> list[tuple[str, Any]]:
    return [(name, CATEGORY_LABELS.get(name, name)) for name in CATEGORIES]


def set_choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def end_of_day(day: Any) -> datetime:
    """A deadline given as a date lasts to the end of that day (Asia/Shanghai)."""
    tz = timezone.get_current_timezone()
    return datetime.combine(day, time(23, 59, 59), tz)


class QueueFilterForm(forms.Form):
    unit = forms.IntegerField(label=_("范围"), required=False)
    check = forms.ChoiceField(label=_("检查"), required=False)
    category = forms.ChoiceField(label=_("类别"), required=False)
    severity = forms.ChoiceField(
        label=_("最高级别"), required=False, choices=[*ALL, *SeverityLevel.choices]
    )
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[*ALL, *ItemStatus.choices])
    assigned = forms.ChoiceField(
        label=_("审核人"),
        required=False,
        choices=[*ALL, (ASSIGNED_ME, _("分配给我")), (ASSIGNED_NONE, _("未分配"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "check", [*ALL, *((c.name, c.title or c.name) for c in checks())])
        set_choices(self, "category", [*ALL, *category_choices()])


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("处理决定"), choices=DecisionKind.choices, widget=forms.RadioSelect
    )
    ground = forms.ChoiceField(label=_("依据条款"), required=False)
    explanation = forms.CharField(
        label=_("理由说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("写明认定的事实、依据的条款和结论；将原文发送给被处理单位。"),
    )
    cited = forms.MultipleChoiceField(
        label=_("引用的检查发现"), required=False, widget=forms.CheckboxSelectMultiple
    )
    deadline = forms.DateField(
        label=_("整改期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("责令更正时必填：期限当天 24 时前完成。"),
    )

    def __init__(self, *args: Any, findings: list[CheckFinding], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "ground", [("", _("（驳回时可不选）")), *ground_choices()])
        set_choices(self, "cited", [(str(f.pk), f"{f.rule} · {f.excerpt[:40]}") for f in findings])

    def deadline_at(self) -> datetime | None:
        day = self.cleaned_data.get("deadline")
        return end_of_day(day) if day else None

    def cited_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("cited", [])]


class AssignForm(forms.Form):
    reviewer = forms.ChoiceField(label=_("分配给"), required=False)

    def __init__(self, *args: Any, reviewers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self, "reviewer", [("", _("（不分配）")), *((str(u.pk), str(u)) for u in reviewers)]
        )


class ResponseForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("回复类型"),
        choices=[(k, label) for k, label in ResponseKind.choices if k != ResponseKind.APPEAL],
        widget=forms.RadioSelect,
        initial=ResponseKind.REPLY,
    )
    text = forms.CharField(
        label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    link = forms.URLField(
        label=_("链接"),
        required=False,
        assume_scheme="https",
        help_text=_("已更正或已删除时，可附更正后稿件或删除说明的链接。"),
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("申诉理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每项决定只能申诉一次，由作出原决定以外的审核人处理。"),
    )


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("申诉结果"), choices=AppealOutcome.choices, widget=forms.RadioSelect
    )
    explanation = forms.CharField(
        label=_("理由说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


PERIODS = [("", _("全部时间")), ("7", _("近 7 天")), ("30", _("近 30 天")), ("90", _("近 90 天"))]


class DecisionFilterForm(forms.Form):
    unit = forms.IntegerField(label=_("范围"), required=False)
    period = forms.ChoiceField(label=_("时间"), required=False, choices=PERIODS)
    since = forms.DateField(
        label=_("起"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("止"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(label=_("决定"), required=False, choices=[*ALL, *DecisionKind.choices])
    ground = forms.ChoiceField(label=_("依据条款"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "ground", [*ALL, *ground_choices()])

    def time_window(self) -> tuple[datetime | None, datetime | None]:
        """The [since, until) window in the server's time zone: a preset or explicit dates."""
        data: dict[str, Any] = self.cleaned_data
        tz = timezone.get_current_timezone()
        if data.get("period"):
            start = timezone.localdate() - timedelta(days=int(data["period"]) - 1)
            return datetime.combine(start, time.min, tz), None
        since = datetime.combine(data["since"], time.min, tz) if data.get("since") else None
        until = (
            datetime.combine(data["until"] + timedelta(days=1), time.min, tz)
            if data.get("until")
            else None
        )
        return since, until
