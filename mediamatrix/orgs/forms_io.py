"""The upload form of the bulk import page."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mediamatrix.core.forms import check_spreadsheet_upload
from mediamatrix.orgs.registry_io import ImportMode

ACCEPTED_SUFFIXES = (".xlsx", ".csv", ".tsv", ".txt")

KIND_CHOICES = [
    ("accounts", _("账号")),
    ("grid_groups", _("网格群")),
    ("units", _("单位")),
]
MODE_CHOICES = [
    (ImportMode.ALL_OR_NOTHING.value, _("全部正确才导入：有任何错误时不导入任何数据（推荐）")),
    (ImportMode.VALID_ROWS.value, _("只导入正确的行：跳过有错误的行，其余照常导入")),
]


class RegistryImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入内容"), choices=KIND_CHOICES)
    file = forms.FileField(
        label=_("文件"),
        help_text=_("Excel（.xlsx）或 CSV（UTF-8 或 GBK 编码）。"),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    mode = forms.ChoiceField(
        label=_("导入方式"),
        choices=MODE_CHOICES,
        initial=ImportMode.ALL_OR_NOTHING.value,
        required=False,
        widget=forms.RadioSelect,
    )
    dry_run = forms.BooleanField(label=_("试运行：只检查并报告结果，不写入数据"), required=False)

    def clean_file(self) -> Any:
        return check_spreadsheet_upload(self.cleaned_data["file"], ACCEPTED_SUFFIXES)

    def clean_mode(self) -> str:
        return self.cleaned_data.get("mode") or ImportMode.ALL_OR_NOTHING.value
