"""Helpers shared by the apps' forms."""

from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, field by field where the field exists."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def check_spreadsheet_upload(upload: Any, accepted_suffixes: Iterable[str]) -> Any:
    """Refuse an uploaded import file that is too large or not .xlsx/.csv, saying what to do."""
    limit = settings.MEDIAMATRIX_IMPORT_MAX_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            _("文件太大（%(size)s），上限为 %(limit)s。请拆分成几个文件分别导入。")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix == ".xls":
        raise forms.ValidationError(
            _("不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV。")
        )
    if suffix not in tuple(accepted_suffixes):
        raise forms.ValidationError(_("请上传 .xlsx 或 .csv 文件。"))
    return upload
