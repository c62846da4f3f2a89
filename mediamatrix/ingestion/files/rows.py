"""One file row → one `PostRecord`, or the reasons it cannot be one, named by column.

Counts and dates are read by the pure parsers of `engines.text` (`10万+`, `1.2万`, `--`,
`2026年11月3日 08:30`, Excel serials); a time without a zone is Beijing time (the server's zone).
Titles and other text are kept exactly as written: HTML or script in a title is text, escaped
wherever it is shown. The account comes from the row (our template) or from the import's chosen
account (the WeChat export, or template rows that leave it blank).
"""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from mediamatrix.engines.text import CountError, DateTextError, parse_count, parse_datetime
from mediamatrix.ingestion.files.layouts import METRIC_COLUMNS, Layout
from mediamatrix.ingestion.files.reader import RawRow
from mediamatrix.ingestion.records import (
    FUTURE_TOLERANCE,
    FieldError,
    Metrics,
    PostRecord,
    validate_record,
)
from mediamatrix.orgs.access import Action, can, can_unowned, is_system
from mediamatrix.orgs.models import Account
from mediamatrix.orgs.registry_io.values import PLATFORM, CellError

EARLIEST_YEAR = 2000  # no post in the matrix is older; an earlier date is a misread cell
TRUE_WORDS = frozenset({"是", "原创", "y", "yes", "true", "1", "√", "✓"})
FALSE_WORDS = frozenset({"否", "非原创", "转载", "n", "no", "false", "0", "×"})
_ORDINALS = {
    "头": 1,
    "一": 1,
    "次": 2,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
}
_POSITION = re.compile(r"^(?:第)?(\d{1,2}|[头一次二三四五六七八])(?:条|篇)?$")


Fail = Callable[..., None]  # fail(key, reason, value=None): record an error of one cell


@dataclass(frozen=True)
class MappedRow:
    number: int
    record: PostRecord | None
    errors: tuple[FieldError, ...] = ()

    @property
    def key(self) -> tuple[int, str] | None:
        return (self.record.account_id, self.record.external_id) if self.record else None


class AccountResolver:
    """Finds the accounts rows name, once each, and answers only for those the actor may write."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self._by_id: dict[int, Account | None] = {}
        self._by_handle: dict[tuple[str, str], Account | None] = {}

    def may_write(self, account: Account) -> bool:
        if is_system(self.actor):
            return True
        if not account.owner_path:
            return can_unowned(self.actor, Action.IMPORT)
        return can(self.actor, account.owner_path, Action.IMPORT)

    def _allowed(self, account: Account | None) -> Account | None:
        return account if account is not None and self.may_write(account) else None

    def by_id(self, pk: int) -> Account | None:
        if pk not in self._by_id:
            self._by_id[pk] = self._allowed(Account.objects.filter(pk=pk).first())
        return self._by_id[pk]

    def by_handle(self, platform: str, handle: str) -> Account | None:
        key = (platform, handle)
        if key not in self._by_handle:
            found = Account.objects.filter(platform=platform, handle=handle).first()
            self._by_handle[key] = self._allowed(found)
        return self._by_handle[key]


def derived_external_id(account_id: int, title: str, published_at: datetime) -> str:
    """A stable id for a row without one: the same account, title and time give the same id."""
    moment = published_at.astimezone(UTC).replace(microsecond=0).isoformat()
    digest = hashlib.sha256(f"{account_id}\n{title.strip()}\n{moment}".encode()).hexdigest()
    return f"h-{digest[:40]}"


class RowMapper:
    """Maps the rows of one file (one layout, one header) to records."""

    def __init__(
        self,
        layout: Layout,
        keys: dict[int, str],
        resolver: AccountResolver,
        *,
        default_account: Account | None,
        now: datetime,
        zone: tzinfo | None = None,
    ) -> None:
        self.layout = layout
        self.index = {key: position for position, key in keys.items()}
        self.resolver = resolver
        self.default_account = default_account
        self.now = now
        self.zone = zone or timezone.get_default_timezone()
        self.metric_keys = [c.key for c in METRIC_COLUMNS if c.key in self.index]
        self._platforms: dict[str, str] = {}  # cell text → platform value, parsed once

    def _text(self, cells: list[str], key: str) -> str:
        position = self.index.get(key)
        if position is None or position >= len(cells):
            return ""
        return cells[position]

    def map(self, row: RawRow) -> MappedRow:
        if row.problem:
            return MappedRow(row.number, None, (FieldError("", row.problem),))
        cells = row.cells
        errors: list[FieldError] = []

        def fail(key: str, reason: str, value: str | None = None) -> None:
            text = self._text(cells, key) if value is None else value
            errors.append(FieldError(self.layout.header_of(key), reason, text[:200]))

        if any("\x00" in cell for cell in cells):
            errors.append(FieldError("", _("含有空字符（NUL），文件可能已损坏。")))
        account = self._account(cells, fail)
        title = self._text(cells, "title")
        published_at = self._moment(cells, "published_at", fail, required=True)
        captured_at = self._moment(cells, "captured_at", fail)
        if captured_at is not None and captured_at > self.now + FUTURE_TOLERANCE:
            fail("captured_at", _("数据时间在未来。"))
        metrics = self._metrics(cells, fail)
        position = self._position(cells, fail)
        is_original = self._original(cells, fail)
        if self.layout.has_external_id:
            external_id = self._text(cells, "external_id")
        elif account is not None and published_at is not None and title:
            external_id = derived_external_id(account.pk, title, published_at)
        else:
            external_id = "-"  # the row fails on what the id would be made of
        if errors or account is None or published_at is None:
            if not errors:  # pragma: no cover - every None above records an error
                fail("", _("无法读取这一行。"))
            return MappedRow(row.number, None, tuple(errors))
        record = PostRecord(
            account_id=account.pk,
            external_id=external_id,
            title=title,
            published_at=published_at,
            url=self._text(cells, "url"),
            author=self._text(cells, "author"),
            digest=self._text(cells, "digest"),
            body_html=self._text(cells, "body_html"),
            position=position,
            is_original=is_original,
            declared_source=self._text(cells, "declared_source"),
            metrics=metrics,
            captured_at=captured_at,
            origin=row.number,
        )
        problems = validate_record(record, now=self.now)
        if problems:
            for problem in problems:
                fail(
                    problem.field, problem.reason, problem.value or self._text(cells, problem.field)
                )
            return MappedRow(row.number, None, tuple(errors))
        return MappedRow(row.number, record)

    # Cells -----------------------------------------------------------------------------------

    def _account(self, cells: list[str], fail: Fail) -> Account | None:
        unknown = _("账号不存在或不在您的管理范围内。")
        pk_text = self._text(cells, "account_id")
        if pk_text:
            if not pk_text.isdigit():
                fail("account_id", _("应为账号编号（整数）。"))
                return None
            account = self.resolver.by_id(int(pk_text))
            if account is None:
                fail("account_id", unknown)
            return account
        platform_text, handle = self._text(cells, "platform"), self._text(cells, "handle")
        if platform_text or handle:
            if not (platform_text and handle):
                missing = "platform" if not platform_text else "handle"
                fail(missing, _("“账号平台”和“平台账号”要一起填写。"))
                return None
            platform = self._platforms.get(platform_text)
            if platform is None:
                try:
                    platform = self._platforms[platform_text] = str(PLATFORM(platform_text))
                except CellError as error:
                    fail("platform", error.reason)
                    return None
            account = self.resolver.by_handle(platform, handle)
            if account is None:
                fail("handle", unknown, f"{platform_text}:{handle}")
            return account
        if self.default_account is not None:
            return self.default_account
        fail("handle", _("没有填写账号，导入时也没有选择账号。"), "")
        return None

    def _moment(
        self, cells: list[str], key: str, fail: Fail, *, required: bool = False
    ) -> datetime | None:
        text = self._text(cells, key)
        if not text:
            if required:
                fail(key, _("不能为空。"))
            return None
        try:
            moment = parse_datetime(text)
        except DateTextError:
            fail(
                key,
                _(
                    "无法识别的日期时间，可写成“2026-11-03 08:30”“2026/11/3”或“2026年11月3日 08:30”。"
                ),
            )
            return None
        if moment.year < EARLIEST_YEAR:
            fail(key, _("早于2000年，可能是日期格式有误。"))
            return None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, self.zone)
        return moment

    def _metrics(self, cells: list[str], fail: Fail) -> Metrics | None:
        values: dict[str, int] = {}
        for key in self.metric_keys:
            try:
                value = parse_count(self._text(cells, key))
            except CountError as error:
                fail(key, _count_reason(error))
                continue
            if value is not None:
                values[key] = value
        return Metrics(**values) if values else None

    def _position(self, cells: list[str], fail: Fail) -> int | None:
        text = self._text(cells, "position")
        if not text:
            return None
        match = _POSITION.match("".join(text.split()))
        if match is None:
            fail("position", _("应为 1–99 的整数，或“头条”“次条”“第3条”。"))
            return None
        token = match.group(1)
        return int(token) if token.isdigit() else _ORDINALS[token]

    def _original(self, cells: list[str], fail: Fail) -> bool | None:
        text = self._text(cells, "is_original").casefold()
        if not text:
            return None
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        fail("is_original", _("应为“是”或“否”。"))
        return None


def _count_reason(error: CountError) -> str:
    if error.code == "negative":
        return _("不能为负数。")
    if error.code == "fraction":
        return _("应为整数。")
    if error.code == "too_large":
        return _("数字过大。")
    return _("应为整数，可写成“12000”“1.2万”或“10万+”。")
