"""Forms of the import centre: upload a posts file, re-run a stored one, filter the history."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mediamatrix.core.forms import check_spreadsheet_upload
from mediamatrix.ingestion.choices import ImportMode, ImportStatus
from mediamatrix.ingestion.connectors import all_connectors
from mediamatrix.orgs.access import Action
from mediamatrix.orgs.models import Account
from mediamatrix.orgs.selectors import account_list

ACCEPTED_SUFFIXES = (".xlsx", ".csv", ".tsv", ".txt")
MODE_CHOICES = [
    (ImportMode.ALL_OR_NOTHING.value, _("全部正确才导入：有任何错误时不导入任何数据（推荐）")),
    (ImportMode.VALID_ROWS.value, _("只导入正确的行：跳过有错误的行，其余照常导入")),
]


class AccountChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        owner = obj.owner.name if obj.owner_id else _("无主办单位")
        return f"{obj.name}（{obj.get_platform_display()}，{owner}）"


class ModeFields(forms.Form):
    mode = forms.ChoiceField(
        label=_("导入方式"),
        choices=MODE_CHOICES,
        initial=ImportMode.ALL_OR_NOTHING.value,
        required=False,
        widget=forms.RadioSelect,
    )
    dry_run = forms.BooleanField(label=_("试运行：只检查并报告结果，不写入数据"), required=False)

    def clean_mode(self) -> str:
        return self.cleaned_data.get("mode") or ImportMode.ALL_OR_NOTHING.value


class PostsUploadForm(ModeFields):
    file = forms.FileField(
        label=_("文件"),
        help_text=_("Excel（.xlsx）或 CSV（UTF-8 或 GBK 编码）。"),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv,.tsv,.txt"}),
    )
    account = AccountChoiceField(
        label=_("账号"),
        queryset=Account.objects.none(),
        required=False,
        help_text=_(
            "微信公众号后台导出的文件里没有账号，请选择它属于哪个公众号；"
            "使用导入模板且每行都填了账号时可不选。"
        ),
    )
    field_order = ["file", "account", "mode", "dry_run"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        accounts = account_list(user, action=Action.IMPORT).order_by("owner_path", "name", "pk")
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        return check_spreadsheet_upload(self.cleaned_data["file"], ACCEPTED_SUFFIXES)


class RerunForm(ModeFields):
    pass


class RunFilterForm(forms.Form):
    connector = forms.ChoiceField(label=_("来源"), required=False)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *ImportStatus.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["connector"].choices = [  # type: ignore[attr-defined]
            ("", _("全部")),
            *((c.name, c.label) for c in all_connectors()),
        ]
