"""The column layouts a posts file may have: our template, and the WeChat back-end export.

A layout names its columns (Chinese headers, as the files have them, with the aliases other
exports use) and how a row becomes a post: our template names the account on each row and the
platform's content id; the WeChat "内容分析" export has neither, so the account is chosen at import
time and the id is derived from the account, title and publication time.

Headers are part of the file format and stay in Chinese whatever the interface language.
"""

import unicodedata
from dataclasses import dataclass

HEADER_SCAN_ROWS = 10


def fold_header(text: str) -> str:
    """Compare headers the way a person reads them: width, case, spaces, `*` and units ignored."""
    folded = "".join(unicodedata.normalize("NFKC", text).casefold().split()).strip("*")
    for unit in ("(次)", "(人)", "(个)"):
        folded = folded.removesuffix(unit)
    return folded


@dataclass(frozen=True)
class Column:
    key: str  # the PostRecord field (or account_id, platform, handle)
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    help: str = ""
    example: str = ""
    width: int = 14


METRIC_HELP = "整数；可写“1.2万”“10万+”（记为 100001）；“--”或空表示没有数据。"

ACCOUNT_ID = Column("account_id", "账号ID", ("account_id", "账号编号"), help="本平台账号的编号。")
PLATFORM = Column(
    "platform",
    "账号平台",
    ("平台", "platform"),
    help="如“微信公众号”“微博”“抖音”；与“平台账号”一起确定账号。",
    example="微信公众号",
)
HANDLE = Column(
    "handle",
    "平台账号",
    ("账号", "handle", "微信号", "原始ID"),
    help="账号在平台上的标识（微信号、原始ID、主页ID），与登记的一致。",
    example="donghu_fabu",
    width=18,
)
EXTERNAL_ID = Column(
    "external_id",
    "平台内容ID",
    ("内容ID", "文章ID", "external_id", "msgid"),
    required=True,
    help="平台上这条内容的编号；同一账号内不重复。再次导入同一编号会更新而不是重复登记。",
    example="2247483650_1",
    width=18,
)
TITLE = Column("title", "标题", ("内容标题", "文章标题", "title"), required=True, width=40)
URL = Column("url", "链接", ("文章链接", "内容链接", "原文链接", "url"), width=40)
AUTHOR = Column("author", "作者", ("author",))
DIGEST = Column("digest", "摘要", ("digest", "简介"), width=30)
BODY = Column("body_html", "正文", ("内容", "body"), help="正文，可为 HTML。", width=40)
PUBLISHED_AT = Column(
    "published_at",
    "发布时间",
    ("发表时间", "群发时间", "发文时间", "published_at"),
    required=True,
    help="如“2026-11-03 08:30”“2026/11/3”“2026年11月3日 08:30”；不带时区时按北京时间。",
    example="2026-11-03 08:30",
    width=18,
)
POSITION = Column(
    "position",
    "推送位置",
    ("位置", "图文位置", "发文位置", "position"),
    help="1 为头条；可写“头条”“次条”“第3条”。",
    example="1",
)
ORIGINAL = Column(
    "is_original", "原创", ("是否原创", "原创声明"), help="是 / 否；空表示未知。", example="是"
)
SOURCE = Column("declared_source", "来源", ("转载来源", "来源/转载自", "source"))
READS = Column(
    "reads",
    "阅读",
    ("阅读数", "阅读量", "阅读次数", "总阅读次数", "reads"),
    help=METRIC_HELP,
    example="10万+",
)
LIKES = Column("likes", "点赞", ("点赞数", "点赞次数", "点赞量", "likes"), help=METRIC_HELP)
WOWS = Column("wows", "在看", ("在看数", "在看次数", "推荐数", "wows"), help=METRIC_HELP)
SHARES = Column(
    "shares", "分享", ("分享数", "分享次数", "转发", "转发数", "shares"), help=METRIC_HELP
)
COMMENTS = Column(
    "comments",
    "评论",
    ("评论数", "评论次数", "留言", "留言数", "留言次数", "comments"),
    help=METRIC_HELP,
)
FAVOURITES = Column(
    "favourites", "收藏", ("收藏数", "收藏次数", "收藏量", "favourites"), help=METRIC_HELP
)
PLAYS = Column("plays", "播放", ("播放量", "播放数", "播放次数", "plays"), help=METRIC_HELP)
CAPTURED_AT = Column(
    "captured_at",
    "数据时间",
    ("统计时间", "采集时间", "数据日期", "captured_at"),
    help="这些数字是哪一刻的；空则为导入时间。",
    width=18,
)

METRIC_COLUMNS = (READS, LIKES, WOWS, SHARES, COMMENTS, FAVOURITES, PLAYS)
ACCOUNT_KEYS = ("account_id", "platform", "handle")


@dataclass(frozen=True)
class Layout:
    name: str  # "template" or "wechat_export"
    label: str
    columns: tuple[Column, ...]
    # Rows name their account (template) or the account is chosen for the whole file (export).
    rows_name_account: bool
    # The platform's content id is a column (template) or derived from the row (export).
    has_external_id: bool

    def lookup(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for column in self.columns:
            for text in (column.header, *column.aliases):
                table.setdefault(fold_header(text), column.key)
        return table

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def header_of(self, key: str) -> str:
        """The column's header; for a column this layout lacks, the template's name for it."""
        for column in self.columns:
            if column.key == key:
                return column.header
        return _TEMPLATE_HEADERS.get(key, key)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.required)


TEMPLATE = Layout(
    name="template",
    label="稿件导入模板",
    columns=(
        PLATFORM,
        HANDLE,
        ACCOUNT_ID,
        EXTERNAL_ID,
        TITLE,
        URL,
        AUTHOR,
        DIGEST,
        BODY,
        PUBLISHED_AT,
        POSITION,
        ORIGINAL,
        SOURCE,
        *METRIC_COLUMNS,
        CAPTURED_AT,
    ),
    rows_name_account=True,
    has_external_id=True,
)

# The WeChat Official Account back-end export (数据分析 → 内容分析 → 已发表内容 → 导出): a
# title, the publication time and the counters; no account, usually no content id.
WECHAT_EXPORT = Layout(
    name="wechat_export",
    label="微信公众号后台“内容分析”导出",
    columns=(
        TITLE,
        PUBLISHED_AT,
        URL,
        AUTHOR,
        POSITION,
        ORIGINAL,
        READS,
        LIKES,
        WOWS,
        SHARES,
        COMMENTS,
        FAVOURITES,
        CAPTURED_AT,
    ),
    rows_name_account=False,
    has_external_id=False,
)

LAYOUTS = (TEMPLATE, WECHAT_EXPORT)
_TEMPLATE_HEADERS = {"account": "账号"} | {column.key: column.header for column in TEMPLATE.columns}
_ALL_HEADERS = TEMPLATE.lookup()
# Headers only our template has (a content id, an account, a body…): they pick the template.
TEMPLATE_MARKERS = frozenset(_ALL_HEADERS) - frozenset(WECHAT_EXPORT.lookup())


def detect_layout(cells: list[str]) -> Layout | None:
    """The layout whose header row `cells` is, or None if this does not look like a header row.

    A header row has at least two known headers. Any header only our template has picks the
    template; otherwise it is the WeChat export (which then needs a title and a time).
    """
    folded = {fold_header(cell) for cell in cells if cell}
    known = {text for text in folded if text in _ALL_HEADERS}
    if len(known) < 2:
        return None
    return TEMPLATE if known & TEMPLATE_MARKERS else WECHAT_EXPORT
