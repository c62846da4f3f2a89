"""Plain data every connector produces: a post with its metrics, before it touches the database.

Connectors parse their source into `PostRecord`s; `validate_record` names every field that is
wrong; `services.posts_upsert` writes the valid ones. Keeping the record plain lets the file, push,
feed and API connectors share one write path and one set of rules.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.translation import gettext as _

# Clocks differ; a post "published" a little in the future is a clock, not an error.
FUTURE_TOLERANCE = timedelta(minutes=10)
MAX_TITLE = 500
MAX_EXTERNAL_ID = 191
# Column sizes of Post, so an over-long value is a named field error, never a database error.
MAX_LENGTHS = {"author": 128, "declared_source": 200, "url": 1000}
MAX_METRIC = 10**13


@dataclass(frozen=True)
class Metrics:
    reads: int = 0
    likes: int = 0
    wows: int = 0
    shares: int = 0
    comments: int = 0
    favourites: int = 0
    plays: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "reads": self.reads,
            "likes": self.likes,
            "wows": self.wows,
            "shares": self.shares,
            "comments": self.comments,
            "favourites": self.favourites,
            "plays": self.plays,
        }


@dataclass(frozen=True)
class PostRecord:
    account_id: int
    external_id: str
    title: str
    published_at: datetime
    url: str = ""
    author: str = ""
    digest: str = ""
    body_html: str = ""
    position: int | None = None
    is_original: bool | None = None
    declared_source: str = ""
    metrics: Metrics | None = None
    # When the metrics were read; defaults to the time of the write.
    captured_at: datetime | None = None
    # Where the record came from in its source (a row number, an item index), for errors.
    origin: int | None = None


@dataclass(frozen=True)
class FieldError:
    field: str
    reason: str
    value: str = ""


@dataclass(frozen=True)
class RecordError:
    """Why one record (a file row, a batch item) was not written."""

    origin: int | None
    errors: tuple[FieldError, ...] = field(default_factory=tuple)

    @property
    def message(self) -> str:
        return "；".join(f"{e.field}：{e.reason}" for e in self.errors)


def validate_record(record: PostRecord, *, now: datetime | None = None) -> list[FieldError]:
    """Every problem with one record; an empty list means it can be written."""
    now = now or timezone.now()
    errors: list[FieldError] = []
    if not record.external_id.strip():
        errors.append(FieldError("external_id", _("不能为空。")))
    elif len(record.external_id) > MAX_EXTERNAL_ID:
        errors.append(FieldError("external_id", _("太长（最多 191 个字符）。"), record.external_id))
    if not record.title.strip():
        errors.append(FieldError("title", _("不能为空。")))
    elif len(record.title) > MAX_TITLE:
        errors.append(FieldError("title", _("太长（最多 500 个字符）。"), record.title[:50]))
    if timezone.is_naive(record.published_at):
        errors.append(FieldError("published_at", _("缺少时区。"), str(record.published_at)))
    elif record.published_at > now + FUTURE_TOLERANCE:
        errors.append(
            FieldError("published_at", _("发布时间在未来。"), record.published_at.isoformat())
        )
    for name, limit in MAX_LENGTHS.items():
        value = getattr(record, name)
        if len(value) > limit:
            errors.append(
                FieldError(
                    name, _("太长（最多 %(limit)d 个字符）。") % {"limit": limit}, value[:50]
                )
            )
    if record.captured_at is not None and record.captured_at > now + FUTURE_TOLERANCE:
        errors.append(
            FieldError("captured_at", _("数据时间在未来。"), record.captured_at.isoformat())
        )
    if record.url and len(record.url) <= MAX_LENGTHS["url"]:
        parts = urlsplit(record.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            errors.append(FieldError("url", _("不是有效的 http(s) 链接。"), record.url[:200]))
    if record.position is not None and not 1 <= record.position <= 99:
        errors.append(FieldError("position", _("应为 1–99。"), str(record.position)))
    if record.metrics is not None:
        for name, value in record.metrics.as_dict().items():
            if not isinstance(value, int) or isinstance(value, bool):
                errors.append(FieldError(name, _("应为整数。"), str(value)))
            elif value < 0:
                errors.append(FieldError(name, _("不能为负数。"), str(value)))
            elif value > MAX_METRIC:
                errors.append(FieldError(name, _("数值过大。"), str(value)))
    return errors
