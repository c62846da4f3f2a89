"""Request and response shapes of the ingestion API: the push batch, posts and import runs.

A batch is parsed item by item: an item with a malformed field (a string where a number belongs, an
unknown key) becomes a rejected item naming that field, never a failed request, so one bad item
cannot block the others. Rules about values (empty title, negative counts, a date in the future)
live in `records.validate_record`, shared with every connector.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, cast
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import (
    ConfigDict,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    computed_field,
    field_validator,
)
from pydantic_core import PydanticCustomError

from mediamatrix.ingestion import connectors
from mediamatrix.ingestion.choices import ImportMode, ImportStatus
from mediamatrix.ingestion.models import ImportRun, MetricSnapshot, Post
from mediamatrix.ingestion.records import (
    FUTURE_TOLERANCE,
    FieldError,
    Metrics,
    PostRecord,
    RecordError,
)
from mediamatrix.ingestion.selectors import post_metric_history
from mediamatrix.orgs.choices import AccountCategory, Platform
from mediamatrix.orgs.schemas import InputSchema, ListQuery, choice_label

MAX_BATCH_ITEMS = 1000
# The contract: times without an offset are Beijing time, whatever the server's settings.
NAIVE_TIMEZONE = ZoneInfo("Asia/Shanghai")
MAX_ERROR_VALUE = 200
NON_NEGATIVE: dict[str, Any] = {"minimum": 0}


def as_aware(value: datetime) -> datetime:
    return timezone.make_aware(value, NAIVE_TIMEZONE) if timezone.is_naive(value) else value


# Push ----------------------------------------------------------------------------------------


class MetricsIn(InputSchema):
    """Counters as read at `captured_at`; omitted ones are 0. Checked per item, not here."""

    reads: int = Field(0, json_schema_extra=NON_NEGATIVE, description="阅读")
    likes: int = Field(0, json_schema_extra=NON_NEGATIVE, description="点赞")
    wows: int = Field(0, json_schema_extra=NON_NEGATIVE, description="在看")
    shares: int = Field(0, json_schema_extra=NON_NEGATIVE, description="分享")
    comments: int = Field(0, json_schema_extra=NON_NEGATIVE, description="评论")
    favourites: int = Field(0, json_schema_extra=NON_NEGATIVE, description="收藏")
    plays: int = Field(0, json_schema_extra=NON_NEGATIVE, description="播放")


class PostIn(InputSchema):
    # Platforms' ids are often numbers; a client may send them as such.
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)

    account_id: int = Field(description="已登记账号的 id（GET /accounts）")
    external_id: str = Field(description="平台内容ID；与账号一起唯一确定一篇稿件")
    title: str
    published_at: datetime = Field(description="ISO 8601；不带时区的时间按北京时间")
    url: str = Field("", max_length=1000)
    author: str = Field("", max_length=128)
    digest: str = ""
    body_html: str = Field("", description="正文 HTML（或纯文本）")
    position: int | None = Field(None, description="推送位置，1 为头条")
    is_original: bool | None = Field(None, description="是否声明原创")
    declared_source: str = Field("", max_length=200, description="来源/转载自")
    metrics: MetricsIn | None = Field(None, description="不提供则不更新数据")
    captured_at: datetime | None = Field(
        None, description="数据采集时间；不提供为接收时间。较旧的数据不会覆盖较新的数据"
    )

    @field_validator("published_at", "captured_at")
    @classmethod
    def _beijing_time_if_naive(cls, value: datetime | None) -> datetime | None:
        return as_aware(value) if value is not None else None

    @field_validator("captured_at")
    @classmethod
    def _not_in_future(cls, value: datetime | None) -> datetime | None:
        # A future capture time would make every later, real reading look older and be ignored.
        if value is not None and value > timezone.now() + FUTURE_TOLERANCE:
            raise PydanticCustomError("future", _("采集时间在未来。"))
        return value

    def to_record(self, origin: int) -> PostRecord:
        return PostRecord(
            account_id=self.account_id,
            external_id=self.external_id,
            title=self.title,
            published_at=self.published_at,
            url=self.url,
            author=self.author,
            digest=self.digest,
            body_html=self.body_html,
            position=self.position,
            is_original=self.is_original,
            declared_source=self.declared_source,
            metrics=Metrics(**self.metrics.model_dump()) if self.metrics is not None else None,
            captured_at=self.captured_at,
            origin=origin,
        )


@dataclass(frozen=True)
class InvalidItem:
    """A batch item that did not even parse; it travels on as a rejection."""

    errors: tuple[FieldError, ...]


def _error_value(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value)[:MAX_ERROR_VALUE]


def _keep_invalid(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    try:
        return handler(value)
    except ValidationError as error:
        return InvalidItem(
            tuple(
                FieldError(
                    ".".join(str(part) for part in e["loc"]) or "__all__",
                    e["msg"],
                    "" if e["type"] == "missing" else _error_value(e.get("input")),
                )
                for e in error.errors()
            )
        )


class BatchIn(InputSchema):
    items: list[Annotated[PostIn, WrapValidator(_keep_invalid)]] = Field(
        description=f"最多 {MAX_BATCH_ITEMS} 条",
        json_schema_extra={"maxItems": MAX_BATCH_ITEMS},
    )

    @field_validator("items", mode="before")
    @classmethod
    def _within_limit(cls, value: Any) -> Any:
        # Before the items are parsed: an oversized batch is refused whole and cheaply.
        if isinstance(value, list) and len(value) > MAX_BATCH_ITEMS:
            raise PydanticCustomError(
                "too_many_items",
                _("一次最多推送 %(limit)d 条，本次 %(count)d 条；请分批推送。")
                % {"limit": MAX_BATCH_ITEMS, "count": len(value)},
            )
        return value

    def parsed_items(self) -> list[PostRecord | RecordError]:
        """Each item as a record to write or, if it did not parse, its rejection; origin = index."""
        parsed: list[PostRecord | RecordError] = []
        for index, item in enumerate(cast(list[Any], self.items)):
            if isinstance(item, InvalidItem):
                parsed.append(RecordError(index, item.errors))
            else:
                parsed.append(item.to_record(index))
        return parsed


class FieldErrorOut(Schema):
    field: str = Field(description="出错的字段，例如 title、metrics.reads、account")
    reason: str
    value: str = Field(description="收到的值（截断）；缺失时为空")


class ItemResultOut(Schema):
    index: int = Field(description="在 items 中的位置，从 0 开始")
    status: str = Field(
        description="created 新增、updated 更新、unchanged 未变、rejected 拒绝、"
        "skipped 本身无误但因 atomic 批次中有被拒绝的条目而未写入"
    )
    post_id: int | None
    errors: list[FieldErrorOut]


class BatchOut(Schema):
    results: list[ItemResultOut]
    created: int
    updated: int
    unchanged: int
    rejected: int
    import_run_id: int | None = Field(description="导入记录（GET /import-runs/{id}）；空批次为空")


class BatchRejectedOut(BatchOut):
    """An atomic batch with rejected items: nothing was written."""

    detail: str
    errors: dict[str, list[str]] = Field(description="items.<序号>.<字段> → 原因")


# Posts ---------------------------------------------------------------------------------------


class PostOut(Schema):
    id: int
    account_id: int
    account_name: str
    platform: str
    external_id: str
    url: str
    title: str
    author: str
    digest: str
    published_at: datetime
    position: int | None
    is_original: bool | None
    declared_source: str
    reads: int
    likes: int
    wows: int
    shares: int
    comments: int
    favourites: int
    plays: int
    metrics_at: datetime | None

    @staticmethod
    def resolve_account_name(obj: Post) -> str:
        return obj.account.name

    @computed_field  # type: ignore[prop-decorator]
    @property
    def platform_label(self) -> str:
        return choice_label(Platform, self.platform)


class SnapshotOut(Schema):
    captured_at: datetime
    reads: int
    likes: int
    wows: int
    shares: int
    comments: int
    favourites: int
    plays: int


class PostDetailOut(PostOut):
    body_text: str
    snapshots: list[SnapshotOut] = Field(description="数据快照，按采集时间先后")

    @staticmethod
    def resolve_snapshots(obj: Post) -> QuerySet[MetricSnapshot]:
        return post_metric_history(obj)


DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class PostQuery(ListQuery):
    unit: int | None = Field(None, description="只列出这个单位及其下级单位账号的稿件")
    account: int | None = Field(None, description="只列出这个账号的稿件")
    platform: Platform | None = None
    category: AccountCategory | None = Field(None, description="账号类别")
    since: datetime | None = Field(
        None, description="发布时间不早于；只写日期为当天 0 点（北京时间）"
    )
    until: datetime | None = Field(
        None, description="发布时间早于；只写日期则包含当天（到次日 0 点为止）"
    )
    q: str = Field("", description="标题或正文包含")

    @field_validator("since", "until", mode="before")
    @classmethod
    def _whole_days(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str) and DATE_ONLY.match(value):
            day = date.fromisoformat(value)
            if info.field_name == "until":
                day += timedelta(days=1)
            return datetime.combine(day, time.min, NAIVE_TIMEZONE)
        return value

    @field_validator("since", "until")
    @classmethod
    def _beijing_time_if_naive(cls, value: datetime | None) -> datetime | None:
        return as_aware(value) if value is not None else None


# Import runs ---------------------------------------------------------------------------------


class ImportRunOut(Schema):
    id: int
    connector: str
    actor_name: str | None
    filename: str
    mode: str
    dry_run: bool
    status: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    rows_total: int | None
    rows_done: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    error_count: int
    message: str

    @staticmethod
    def resolve_actor_name(obj: ImportRun) -> str | None:
        return str(obj.actor) if obj.actor is not None else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def connector_label(self) -> str:
        try:
            return str(connectors.get(self.connector).label)
        except LookupError:  # a connector that is no longer installed
            return self.connector

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status_label(self) -> str:
        return choice_label(ImportStatus, self.status)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def mode_label(self) -> str:
        return choice_label(ImportMode, self.mode)


class ImportRowErrorOut(Schema):
    row: int | None = Field(description="文件的行号，或推送批次中条目的序号（从 0 开始）")
    field: str
    reason: str
    value: str


class ImportRunDetailOut(ImportRunOut):
    errors: list[ImportRowErrorOut] = Field(description="最多保存 1000 条；error_count 为总数")


class ImportRunQuery(ListQuery):
    connector: str = Field("", description="来源：file、push、rss、wechat …")
