"""The columns of the import templates and exports, per kind of registry record.

Headers are part of the file format: they stay in Chinese whatever the interface language, and an
export uses exactly the template's headers so that it imports again unchanged. English aliases
(`name`, `platform`, …) are accepted on import for files produced by other systems.
"""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils import translation

from mediamatrix.orgs.choices import (
    AccountCategory,
    AccountStatus,
    GroupPlatform,
    Platform,
    UnitKind,
    UnitLevel,
)


class Kind(StrEnum):
    UNITS = "units"
    ACCOUNTS = "accounts"
    GRID_GROUPS = "grid_groups"


UNIT_REFERENCE_HELP = (
    "填写12位统计用区划代码，或从最上级单位开始、用“/”分隔的完整名称路径，如“临江市/东湖区/东湖街道”。"
    "只写单位名称会有重名，不被接受。"
)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    help: str = ""
    aliases: tuple[str, ...] = ()
    choices: type[models.Choices] | None = None
    example: str = ""
    width: int = 16
    # Export-only columns are written by exports for people to read and ignored on import.
    importable: bool = True

    def allowed_values(self) -> list[str]:
        """The Chinese labels a person may type (stored values are accepted too)."""
        if self.choices is None:
            return []
        with translation.override("zh-hans"):
            return [str(label) for label in self.choices.labels]


@dataclass(frozen=True)
class KindSpec:
    kind: Kind
    label: str
    columns: tuple[Column, ...]

    @property
    def importable(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.importable)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def header_of(self, key: str) -> str:
        return self.column(key).header

    def column_for_field(self, field: str) -> Column | None:
        """The column of a model field (column keys are the field names)."""
        for column in self.columns:
            if column.key == field:
                return column
        return None

    def header_lookup(self) -> dict[str, str]:
        """Folded header text or alias → column key."""
        lookup: dict[str, str] = {}
        for column in self.columns:
            for name in (column.header, column.key, *column.aliases):
                lookup[fold_header(name)] = column.key
        return lookup


def fold(text: str) -> str:
    """Compare text the way a person reads it: full/half width, case and spaces don't matter."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def fold_header(text: str) -> str:
    """Headers also lose the required-field markers people add (`*单位名称`, `单位名称＊`)."""
    return fold(text).strip("*")


UNITS = KindSpec(
    Kind.UNITS,
    "单位",
    (
        Column(
            "name",
            "单位名称",
            required=True,
            help="单位全称。同一上级单位下按名称识别已有单位（有区划代码时按区划代码识别）。",
            aliases=("name", "名称", "单位"),
            example="东湖街道",
            width=24,
        ),
        Column("short_name", "简称", aliases=("short_name", "shortname"), example="东湖", width=12),
        Column(
            "parent",
            "上级单位",
            help=UNIT_REFERENCE_HELP + "不填表示最上级单位（仅系统管理员可导入）。",
            aliases=("parent", "上级"),
            example="临江市/东湖区",
            width=30,
        ),
        Column(
            "level",
            "层级",
            help="1-5 或 市级、县（区）级、乡镇（街道）级、村（社区）级、村以下；不填时为上级单位的下一级。",
            aliases=("level", "单位层级"),
            choices=UnitLevel,
            example="乡镇（街道）级",
            width=14,
        ),
        Column(
            "kind",
            "类型",
            required=True,
            aliases=("kind", "type", "单位类型"),
            choices=UnitKind,
            example="街道",
            width=10,
        ),
        Column(
            "division_code",
            "区划代码",
            help="国家统计局12位统计用区划代码，没有可不填。请把该列设为文本格式，以免 Excel 显示成科学计数法。",
            aliases=("division_code", "code", "统计用区划代码", "行政区划代码"),
            example="341102001000",
            width=16,
        ),
    ),
)

ACCOUNTS = KindSpec(
    Kind.ACCOUNTS,
    "账号",
    (
        Column(
            "platform",
            "平台",
            required=True,
            aliases=("platform", "所属平台"),
            choices=Platform,
            example="微信公众号",
            width=14,
        ),
        Column(
            "handle",
            "平台账号",
            required=True,
            help="平台上的账号ID、微信号或网址域名；同一平台内唯一，重复导入时据此识别已有账号。",
            aliases=("handle", "账号ID", "账号id", "微信号", "原始ID"),
            example="donghu_fabu",
            width=22,
        ),
        Column(
            "name",
            "账号名称",
            required=True,
            aliases=("name", "名称"),
            example="东湖发布",
            width=22,
        ),
        Column(
            "category",
            "类别",
            required=True,
            aliases=("category", "账号类别"),
            choices=AccountCategory,
            example="政务号",
            width=10,
        ),
        Column(
            "owner",
            "主办单位",
            required=True,
            help=UNIT_REFERENCE_HELP + "已登记的账号留空则保持原主办单位。",
            aliases=("owner", "主体单位", "运营单位"),
            example="临江市/东湖区",
            width=30,
        ),
        Column(
            "operator_name",
            "运维联系人",
            aliases=("operator_name", "operator", "联系人", "运维人员"),
            example="张三",
            width=12,
        ),
        Column(
            "operator_phone",
            "联系电话",
            help="运维联系人的手机或座机号码。",
            aliases=("operator_phone", "phone", "电话", "手机"),
            example="13800000000",
            width=16,
        ),
        Column(
            "followers",
            "粉丝数",
            help="整数，可写成“12000”“1.2万”或“10万+”（记为 100001）。",
            aliases=("followers", "粉丝量", "关注数"),
            example="1.2万",
            width=12,
        ),
        Column(
            "status",
            "状态",
            help="仅导出，导入时忽略（备案、注销请在账号页面办理）。",
            aliases=("status",),
            choices=AccountStatus,
            width=10,
            importable=False,
        ),
        Column(
            "filing_number",
            "备案编号",
            help="仅导出，导入时忽略。",
            aliases=("filing_number",),
            width=18,
            importable=False,
        ),
    ),
)

GRID_GROUPS = KindSpec(
    Kind.GRID_GROUPS,
    "网格群",
    (
        Column(
            "name",
            "群名称",
            required=True,
            help="同一村（社区）内按群名称识别已有网格群。",
            aliases=("name", "名称", "群名"),
            example="东湖社区1网格",
            width=24,
        ),
        Column(
            "platform",
            "平台",
            required=True,
            aliases=("platform", "群类型"),
            choices=GroupPlatform,
            example="微信群",
            width=12,
        ),
        Column(
            "owner",
            "所属村（社区）",
            required=True,
            help=UNIT_REFERENCE_HELP + "必须是村（社区）级或以下的单位。",
            aliases=("owner", "所属村", "所属社区", "所属单位"),
            example="临江市/东湖区/东湖街道/东湖社区",
            width=36,
        ),
        Column(
            "member_count",
            "成员数",
            help="整数。",
            aliases=("member_count", "members", "群人数", "人数"),
            example="356",
            width=10,
        ),
        Column(
            "contact_name",
            "群主/联系人",
            aliases=("contact_name", "contact", "群主", "联系人"),
            example="李四",
            width=14,
        ),
        Column(
            "contact_phone",
            "联系电话",
            help="群主或联系人的手机或座机号码。",
            aliases=("contact_phone", "phone", "电话", "手机"),
            example="13900000000",
            width=16,
        ),
    ),
)

SPECS: dict[str, KindSpec] = {spec.kind.value: spec for spec in (UNITS, ACCOUNTS, GRID_GROUPS)}
KINDS: tuple[str, ...] = tuple(SPECS)


def kind_spec(kind: str) -> KindSpec:
    """The spec of a kind; `grid-groups` is accepted for `grid_groups` (as in URLs)."""
    spec = SPECS.get(kind.replace("-", "_"))
    if spec is None:
        raise ValueError(f"unknown registry kind {kind!r}; expected one of {', '.join(KINDS)}")
    return spec


def headers(columns: Iterable[Column]) -> list[str]:
    return [column.header for column in columns]
