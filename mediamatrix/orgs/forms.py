from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mediamatrix.orgs.access import Action
from mediamatrix.orgs.choices import (
    AccountCategory,
    AccountStatus,
    GroupPlatform,
    Platform,
    Role,
    UnitLevel,
)
from mediamatrix.orgs.models import Account, GridGroup, Unit
from mediamatrix.orgs.selectors import unit_list


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Unit) -> str:
        return "　" * (obj.depth - 1) + obj.name


def _owner_choices(
    user: Any,
    action: Action,
    *,
    max_level: int | None = None,
    min_level: int | None = None,
    current: Unit | None = None,
) -> Any:
    qs = unit_list(user, action=action)
    if max_level is not None:
        qs = qs.filter(level__lte=max_level)
    if min_level is not None:
        qs = qs.filter(level__gte=min_level)
    if current is not None:
        qs = qs | unit_list(user, action=action).filter(pk=current.pk)
    return qs.order_by("path")


class UnitForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Unit
        fields = ["name", "short_name", "level", "kind", "division_code"]


class AccountForm(forms.ModelForm):  # type: ignore[type-arg]
    reason = forms.CharField(label=_("变更原因"), required=False, max_length=500)

    class Meta:
        model = Account
        fields = [
            "platform",
            "handle",
            "name",
            "category",
            "owner",
            "operator_name",
            "operator_phone",
            "followers",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.owner if self.instance.pk else self.initial.get("owner")
        self.fields["owner"] = UnitChoiceField(
            label=_("主办单位"),
            queryset=_owner_choices(
                user, Action.EDIT_ACCOUNT, max_level=UnitLevel.TOWNSHIP, current=current
            ),
        )
        if not self.instance.pk:
            del self.fields["reason"]


class GridGroupForm(forms.ModelForm):  # type: ignore[type-arg]
    reason = forms.CharField(label=_("变更原因"), required=False, max_length=500)

    class Meta:
        model = GridGroup
        fields = [
            "name",
            "platform",
            "owner",
            "member_count",
            "contact_name",
            "contact_phone",
            "is_active",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = UnitChoiceField(
            label=_("所属村（社区）"),
            queryset=_owner_choices(user, Action.EDIT_GRID_GROUP, min_level=UnitLevel.VILLAGE),
        )
        if not self.instance.pk:
            del self.fields["reason"]
            del self.fields["is_active"]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class FilingForm(ReasonForm):
    filing_number = forms.CharField(label=_("备案编号"), max_length=64)


class MembershipForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)


class NewMemberForm(forms.Form):
    username = forms.RegexField(
        label=_("用户名"), max_length=150, regex=r"^[\w.@+-]+$", help_text=_("字母、数字或 @.+-_")
    )
    display_name = forms.CharField(label=_("姓名"), max_length=64)
    password = forms.CharField(label=_("初始密码"), min_length=8, widget=forms.PasswordInput)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False)
    platform = forms.ChoiceField(
        label=_("平台"), required=False, choices=[("", _("全部")), *Platform.choices]
    )
    category = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部")), *AccountCategory.choices]
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *AccountStatus.choices]
    )
    level = forms.TypedChoiceField(
        label=_("单位层级"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全部")), *UnitLevel.choices],
    )
    unit = forms.IntegerField(label=_("单位"), required=False, widget=forms.HiddenInput)


class GridGroupFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False)
    platform = forms.ChoiceField(
        label=_("平台"), required=False, choices=[("", _("全部")), *GroupPlatform.choices]
    )
    unit = forms.IntegerField(label=_("单位"), required=False, widget=forms.HiddenInput)
