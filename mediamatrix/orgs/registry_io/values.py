"""Turning cell text into field values: choices by label or value, counts like “1.2万”, codes.

Each parser takes the stripped text of one cell and returns a value or raises `CellError` whose
message tells a person what is wrong and what would be right.
"""

import re

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from mediamatrix.engines.text import CountError
from mediamatrix.engines.text import parse_count as engine_parse_count
from mediamatrix.orgs.choices import AccountCategory, GroupPlatform, Platform, UnitKind, UnitLevel
from mediamatrix.orgs.registry_io.columns import fold


class CellError(ValueError):
    """A cell's value cannot be used; the message says why."""

    @property
    def reason(self) -> str:
        return str(self.args[0])


class ChoiceParser:
    """Accepts a choice's Chinese label, its stored value, its English label or a common alias."""

    def __init__(
        self, choices: type[models.Choices], what: str, aliases: dict[str, str | int] | None = None
    ) -> None:
        self.what = what
        self.choices = choices
        self._lookup: dict[str, str | int] = {}
        for value in choices.values:
            self._lookup[fold(str(value))] = value
        for language in ("en", "zh-hans"):  # Chinese last: it wins any clash
            with translation.override(language):
                for value, label in choices.choices:
                    self._lookup[fold(str(label))] = value
        for alias, value in (aliases or {}).items():
            self._lookup.setdefault(fold(alias), value)

    def __call__(self, text: str) -> str | int:
        value = self._lookup.get(fold(text))
        if value is None:
            with translation.override("zh-hans"):
                allowed = "、".join(str(label) for label in self.choices.labels)
            raise CellError(
                _("未知的%(what)s“%(text)s”，可填：%(allowed)s。")
                % {"what": self.what, "text": text, "allowed": allowed}
            )
        return value


PLATFORM = ChoiceParser(
    Platform,
    "平台",
    {
        "公众号": Platform.WECHAT_OA,
        "微信公众平台": Platform.WECHAT_OA,
        "视频号": Platform.WECHAT_CHANNELS,
        "新浪微博": Platform.WEIBO,
        "头条号": Platform.TOUTIAO,
        "头条": Platform.TOUTIAO,
        "B站": Platform.BILIBILI,
        "门户网站": Platform.WEBSITE,
        "app": Platform.APP,
        "移动客户端": Platform.APP,
    },
)
GROUP_PLATFORM = ChoiceParser(
    GroupPlatform,
    "群平台",
    {
        "微信": GroupPlatform.WECHAT,
        "qq": GroupPlatform.QQ,
        "钉钉": GroupPlatform.DINGTALK,
        "企业微信": GroupPlatform.WECOM,
        "企微群": GroupPlatform.WECOM,
    },
)
CATEGORY = ChoiceParser(
    AccountCategory, "类别", {"政务": AccountCategory.GOVERNMENT, "新闻": AccountCategory.NEWS}
)
KIND = ChoiceParser(UnitKind, "类型")
LEVEL = ChoiceParser(
    UnitLevel,
    "层级",
    {
        "市": UnitLevel.CITY,
        "县级": UnitLevel.COUNTY,
        "区级": UnitLevel.COUNTY,
        "县区级": UnitLevel.COUNTY,
        "乡镇级": UnitLevel.TOWNSHIP,
        "乡级": UnitLevel.TOWNSHIP,
        "镇级": UnitLevel.TOWNSHIP,
        "街道级": UnitLevel.TOWNSHIP,
        "村级": UnitLevel.VILLAGE,
        "社区级": UnitLevel.VILLAGE,
        "村社区级": UnitLevel.VILLAGE,
    },
)


def parse_count(text: str) -> int:
    """A non-negative whole number as people write it: `12,000`, `1.2万` (12000), `10万+` (100001).

    The reading is the shared one of `engines.text.parse_count` (a trailing `+` adds one); a
    placeholder such as `--` is no count here, since the cell must hold one.
    """
    try:
        value = engine_parse_count(text)
    except CountError as error:
        if error.code == "fraction":
            raise CellError(_("应为整数。")) from error
        if error.code == "too_large":
            raise CellError(_("数字过大。")) from error
        raise CellError(_("应为不小于0的整数，可写成“12000”“1.2万”或“10万+”。")) from error
    if value is None:
        raise CellError(_("应为不小于0的整数，可写成“12000”“1.2万”或“10万+”。"))
    return value


_DIVISION_CODE = re.compile(r"^\d{12}$")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?e\+?\d+$")


def parse_division_code(text: str) -> str:
    """A 12-digit statistical division code; spots codes Excel has mangled into `3.41102E+11`."""
    code = fold(text)
    if _DIVISION_CODE.match(code):
        return code
    if _SCIENTIFIC.match(code):
        raise CellError(
            _("区划代码被 Excel 显示成了科学计数法，位数已丢失；请把该列设为文本格式后重新填写。")
        )
    raise CellError(_("区划代码应为12位数字。"))


def looks_like_division_code(text: str) -> bool:
    return fold(text).isdigit()
