"""From the platform's JSON to our records: published articles → posts, datacube rows → metrics.

A publication (`article_id`) holds one to eight articles (`news_item`); each is a post. Its
position is its index + 1 (1 = the headline) and its external id is `"{article_id}:{position}"`,
stable for the life of the publication. Statistics (`getarticletotal`) name a message
`"{msgid}_{index}"`, where msgid is the `mid` and index the `idx` of the article's URL; they are
matched on that, and when a URL carries no `mid` on the title and the publication day (Beijing
time) instead.
"""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from mediamatrix.ingestion.records import Metrics, PostRecord

# The platform's dates (ref_date, stat_date) are days in Beijing time.
PLATFORM_TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class ArticleStats:
    """The latest cumulative numbers of one article, as of the end of `stat_date`."""

    msgid: str
    title: str
    ref_date: date
    stat_date: date
    metrics: Metrics

    @property
    def captured_at(self) -> datetime:
        return datetime.combine(self.stat_date + timedelta(days=1), time(), tzinfo=PLATFORM_TZ)


def platform_day(moment: datetime) -> date:
    return moment.astimezone(PLATFORM_TZ).date()


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _timestamp(value: Any) -> datetime | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return datetime.fromtimestamp(value, tz=UTC)
    return None


def publication_time(item: dict[str, Any]) -> datetime | None:
    """When a publication went out: its content's create_time, else the item's update_time."""
    content = _content(item)
    return (
        _timestamp(content.get("create_time"))
        or _timestamp(item.get("update_time"))
        or _timestamp(content.get("update_time"))
    )


def last_change(item: dict[str, Any]) -> datetime | None:
    """The newest time a publication was touched, for the listing cursor."""
    content = _content(item)
    times = [
        _timestamp(item.get("update_time")),
        _timestamp(content.get("update_time")),
        _timestamp(content.get("create_time")),
    ]
    known = [t for t in times if t is not None]
    return max(known) if known else None


def message_key(url: str) -> str | None:
    """`"{mid}_{idx}"` from an article URL (`…/s?__biz=…&mid=…&idx=…&sn=…`), the datacube msgid."""
    query = parse_qs(urlsplit(url).query)
    mid, idx = query.get("mid", [""])[0], query.get("idx", [""])[0]
    return f"{mid}_{idx}" if mid.isdigit() and idx.isdigit() else None


def news_records(account_id: int, items: list[dict[str, Any]]) -> list[PostRecord]:
    """One record per live article of every publication; deleted articles are left out."""
    records: list[PostRecord] = []
    for item in items:
        article_id = _text(item.get("article_id"))
        published_at = publication_time(item)
        content = _content(item)
        news = content.get("news_item")
        if not article_id or published_at is None or not isinstance(news, list):
            continue
        for index, article in enumerate(news):
            if not isinstance(article, dict) or article.get("is_deleted") is True:
                continue
            records.append(
                PostRecord(
                    account_id=account_id,
                    external_id=f"{article_id}:{index + 1}",
                    title=_text(article.get("title")),
                    published_at=published_at,
                    url=_text(article.get("url")),
                    author=_text(article.get("author")),
                    digest=_text(article.get("digest")),
                    body_html=_text(article.get("content")),
                    position=index + 1,
                    origin=len(records) + 1,
                )
            )
    return records


def article_stats(entries: list[dict[str, Any]]) -> list[ArticleStats]:
    """The latest day's cumulative numbers of every message in `getarticletotal` answers."""
    found = []
    for entry in entries:
        dated: list[tuple[date, dict[str, Any]]] = []
        for detail in entry.get("details") or []:
            if isinstance(detail, dict) and (day := _date(detail.get("stat_date"))) is not None:
                dated.append((day, detail))
        ref_date = _date(entry.get("ref_date"))
        if not dated or ref_date is None:
            continue
        stat_date, latest = max(dated, key=lambda pair: pair[0])
        found.append(
            ArticleStats(
                msgid=_text(entry.get("msgid")),
                title=_text(entry.get("title")),
                ref_date=ref_date,
                stat_date=stat_date,
                metrics=Metrics(
                    reads=_int(latest.get("int_page_read_count")),
                    shares=_int(latest.get("share_count")),
                    favourites=_int(latest.get("add_to_fav_count")),
                ),
            )
        )
    return found


def attach_stats(
    records: list[PostRecord], stats: list[ArticleStats]
) -> tuple[list[PostRecord], int]:
    """Records with their statistics attached, and how many statistics matched no record."""
    by_key = {key: i for i, r in enumerate(records) if (key := message_key(r.url))}
    by_title = {(r.title.strip(), platform_day(r.published_at)): i for i, r in enumerate(records)}
    attached: dict[int, ArticleStats] = {}
    unmatched = 0
    for stat in stats:
        index = by_key.get(stat.msgid)
        if index is None:
            index = by_title.get((stat.title.strip(), stat.ref_date))
        if index is None:
            unmatched += 1
            continue
        # The same message may come back from several days' queries: keep the latest numbers.
        if index not in attached or stat.stat_date > attached[index].stat_date:
            attached[index] = stat
    result = [
        _with_stats(record, attached[i]) if i in attached else record
        for i, record in enumerate(records)
    ]
    return result, unmatched


def _with_stats(record: PostRecord, stats: ArticleStats) -> PostRecord:
    return replace(record, metrics=stats.metrics, captured_at=stats.captured_at)


def cumulate_followers(entries: list[dict[str, Any]], day: date) -> int | None:
    """The account's total followers at the end of `day` from a `getusercumulate` answer."""
    for entry in entries:
        if _date(entry.get("ref_date")) == day and _int(entry.get("user_source")) == 0:
            return _int(entry.get("cumulate_user"))
    return None


def _content(item: dict[str, Any]) -> dict[str, Any]:
    content = item.get("content")
    return content if isinstance(content, dict) else {}


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
