"""The pull-source form: its config fields come from the connector's `config_fields`."""

from typing import Any

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mediamatrix.ingestion.choices import SourceState
from mediamatrix.ingestion.connectors import Connector, all_connectors
from mediamatrix.ingestion.models import Source
from mediamatrix.ingestion.services.sources_admin import (
    BOOLEAN_CONFIG_KEYS,
    MAX_CONFIG_TEXT,
    MAX_INTERVAL_MINUTES,
    MIN_INTERVAL_MINUTES,
    URL_CONFIG_KEYS,
)
from mediamatrix.orgs.access import Action
from mediamatrix.orgs.models import Account
from mediamatrix.orgs.selectors import account_list

BASE_FIELDS = ("account", "name", "interval_minutes", "secret")
CONFIG_HELP = {
    "feed_url": _("网站的 RSS/Atom 订阅文件地址（常以 .xml、/rss、/feed 结尾），不是网页地址。"),
    "fetch_full_text": _(
        "新条目打开原文页面提取正文，去掉导航、页脚等；不勾选则只用订阅中的内容。"
    ),
}


class AccountChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Account) -> str:
        owner = obj.owner.name if obj.owner else _("无主办单位")
        return f"{obj.name}（{obj.get_platform_display()}，{owner}）"


class SourceForm(forms.Form):
    """Create (with an account to choose) or edit (`source` given) one pull source."""

    account = AccountChoiceField(label=_("账号"), queryset=Account.objects.none())
    name = forms.CharField(label=_("名称"), max_length=128)
    interval_minutes = forms.IntegerField(
        label=_("采集间隔（分钟）"),
        min_value=MIN_INTERVAL_MINUTES,
        max_value=MAX_INTERVAL_MINUTES,
        initial=60,
    )
    secret = forms.CharField(
        label=_("密钥（如 AppSecret）"),
        required=False,
        strip=True,
        # Never sent back to the browser, not even after a failed submit.
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )

    def __init__(
        self,
        *args: Any,
        user: Any,
        connector: Connector,
        source: Source | None = None,
        **kwargs: Any,
    ) -> None:
        if source is not None:
            initial = {"name": source.name, "interval_minutes": source.interval_minutes}
            initial.update(source.config)
            kwargs["initial"] = initial | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        self.connector = connector
        self.source = source
        if source is None:
            accounts = account_list(user, action=Action.EDIT_ACCOUNT)
            self.fields["account"].queryset = accounts.order_by("owner_path", "name", "pk")  # type: ignore[attr-defined]
        else:
            del self.fields["account"]
        secret = self.fields.pop("secret")
        for key, label in connector.config_fields:
            if key in BASE_FIELDS:
                raise ImproperlyConfigured(f"config key {key!r} clashes with a form field")
            self.fields[key] = _config_field(key, label)
        self.fields["secret"] = secret  # after the settings it belongs with
        if not connector.needs_secret:
            del self.fields["secret"]
        elif source is not None and source.secret:
            secret.help_text = _("已设置。留空则保持不变，填写则替换。")
        else:
            secret.required = True

    def config(self) -> dict[str, Any]:
        return {key: self.cleaned_data.get(key) for key, _label in self.connector.config_fields}


def _config_field(key: str, label: str) -> forms.Field:
    help_text = CONFIG_HELP.get(key, "")
    if key in BOOLEAN_CONFIG_KEYS:
        return forms.BooleanField(label=label, required=False, initial=True, help_text=help_text)
    if key in URL_CONFIG_KEYS:
        return forms.URLField(
            label=label, max_length=MAX_CONFIG_TEXT, assume_scheme="https", help_text=help_text
        )
    return forms.CharField(label=label, max_length=MAX_CONFIG_TEXT, help_text=help_text)


class SourceFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *SourceState.choices]
    )
    connector = forms.ChoiceField(label=_("类型"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["connector"].choices = [  # type: ignore[attr-defined]
            ("", _("全部")),
            *((c.name, c.label) for c in all_connectors("pull")),
        ]
