"""One pull of a WeChat Official Account: recent publications, their statistics, its followers.

- Publications: `freepublish/batchget`, newest first, 20 a page, until the page reaches ones last
  changed before the listing start (30 days back on the first pull; afterwards the older of the
  previous pull's newest change and eight days back, so every post the statistics can name is in
  the same batch).
- Statistics: `datacube/getarticletotal`, one day per call, for the seven days before today
  (Beijing time), until a pull has seen the numbers of yesterday; then not again that day.
- Followers: `datacube/getusercumulate` for yesterday, once a day.

An account without the statistics permission (unverified accounts) still gets its posts; the run's
message says why the numbers are missing.
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from mediamatrix.ingestion.connectors import AccountFollowers, PullError, PullResult
from mediamatrix.ingestion.connectors.wechat.client import WechatClient
from mediamatrix.ingestion.connectors.wechat.errors import (
    UNAUTHORIZED,
    WechatError,
    WechatUnavailable,
)
from mediamatrix.ingestion.connectors.wechat.mapping import (
    ArticleStats,
    article_stats,
    attach_stats,
    cumulate_followers,
    last_change,
    news_records,
    platform_day,
)
from mediamatrix.ingestion.models import Source
from mediamatrix.ingestion.records import PostRecord

PUBLISHED_PATH = "/cgi-bin/freepublish/batchget"
ARTICLE_TOTAL_PATH = "/datacube/getarticletotal"
USER_CUMULATE_PATH = "/datacube/getusercumulate"

FIRST_PULL_DAYS = 30
STATS_DAYS = 7
PAGE_SIZE = 20
MAX_PAGES = 50

# Keys of this connector's memory in Source.state (the token lives there too, see tokens.py).
CURSOR_KEY = "published_until"
STATS_KEY = "stats_through"
FOLLOWERS_KEY = "followers_date"


def pull(source: Source) -> PullResult:
    app_id = str((source.config or {}).get("app_id", "")).strip()
    if not app_id:
        raise PullError(_("请在采集源中填写公众号的 AppID。"), retryable=False)
    if not source.secret:
        raise PullError(_("请在采集源中填写公众号的 AppSecret。"), retryable=False)
    now = timezone.now()
    yesterday = platform_day(now) - timedelta(days=1)
    state = dict(source.state or {})
    notes: list[str] = []
    try:
        with WechatClient(source, app_id=app_id) as client:
            items = published_since(client, listing_start(state, now))
            stats: list[ArticleStats] = []
            if state.get(STATS_KEY) != yesterday.isoformat():
                stats = _optional(lambda: statistics(client, yesterday), notes, _("图文统计")) or []
            followers = None
            if state.get(FOLLOWERS_KEY) != yesterday.isoformat():
                followers = _optional(lambda: followers_on(client, yesterday), notes, _("粉丝数"))
    except (WechatError, WechatUnavailable) as error:
        raise error.pull_error() from None

    records, unmatched = attach_stats(news_records(source.account_id, items), stats)
    new_state = _stored_state(source)
    for key in (CURSOR_KEY, STATS_KEY, FOLLOWERS_KEY):
        if key in state:
            new_state[key] = state[key]
    newest = max((t for item in items if (t := last_change(item))), default=None)
    previous = _cursor(state)
    if newest is not None and (previous is None or newest > previous):
        new_state[CURSOR_KEY] = newest.isoformat()
    if any(s.stat_date == yesterday for s in stats):
        new_state[STATS_KEY] = yesterday.isoformat()
    if followers is not None:
        new_state[FOLLOWERS_KEY] = yesterday.isoformat()
    return PullResult(
        records=records,
        followers=(
            [AccountFollowers(source.account_id, followers)] if followers is not None else []
        ),
        state=new_state,
        message="；".join(
            [*_summary(records, len(items), bool(stats), unmatched, followers, yesterday), *notes]
        ),
    )


def _summary(
    records: list[PostRecord],
    publications: int,
    had_stats: bool,
    unmatched: int,
    followers: int | None,
    day: date,
) -> list[str]:
    lines = [
        _("已发布文章 %(posts)s 篇（%(publications)s 次发布）")
        % {"posts": len(records), "publications": publications}
    ]
    if had_stats:
        matched = sum(1 for r in records if r.metrics is not None)
        lines.append(_("图文统计 %(matched)s 篇") % {"matched": matched})
    if unmatched:
        lines.append(
            _("%(count)s 条统计未找到对应文章（群发而未发布的文章不在发布列表中）")
            % {"count": unmatched}
        )
    if followers is not None:
        lines.append(_("粉丝数 %(count)s（%(day)s）") % {"count": followers, "day": day})
    return lines


def listing_start(state: dict[str, Any], now: datetime) -> datetime:
    """Publications changed before this moment are not listed again."""
    cursor = _cursor(state)
    if cursor is None:
        return now - timedelta(days=FIRST_PULL_DAYS)
    return min(cursor, now - timedelta(days=STATS_DAYS + 1))


def published_since(client: WechatClient, since: datetime) -> list[dict[str, Any]]:
    """Publications last changed at or after `since`, newest first."""
    items: list[dict[str, Any]] = []
    offset = 0
    for _page in range(MAX_PAGES):
        page = client.call(PUBLISHED_PATH, {"offset": offset, "count": PAGE_SIZE, "no_content": 0})
        batch = [item for item in page.get("item") or [] if isinstance(item, dict)]
        recent = [item for item in batch if (t := last_change(item)) is not None and t >= since]
        items.extend(recent)
        offset += len(batch)
        total = page.get("total_count")
        if len(recent) < len(batch) or not batch or not isinstance(total, int) or offset >= total:
            break
    return items


def statistics(client: WechatClient, yesterday: date) -> list[ArticleStats]:
    """Cumulative numbers of the messages sent on each of the last STATS_DAYS days."""
    stats: list[ArticleStats] = []
    for back in range(STATS_DAYS):
        day = (yesterday - timedelta(days=back)).isoformat()
        answer = client.call(ARTICLE_TOTAL_PATH, {"begin_date": day, "end_date": day})
        stats.extend(article_stats([e for e in answer.get("list") or [] if isinstance(e, dict)]))
    return stats


def followers_on(client: WechatClient, day: date) -> int | None:
    answer = client.call(
        USER_CUMULATE_PATH, {"begin_date": day.isoformat(), "end_date": day.isoformat()}
    )
    return cumulate_followers([e for e in answer.get("list") or [] if isinstance(e, dict)], day)


def _optional[T](fetch: Callable[[], T], notes: list[str], what: str) -> T | None:
    """Run a statistics fetch; a missing permission becomes a note instead of a failed pull."""
    try:
        return fetch()
    except WechatError as error:
        if error.errcode not in UNAUTHORIZED:
            raise
        notes.append(_("%(what)s未采集：%(reason)s") % {"what": what, "reason": error.describe()})
        return None


def _cursor(state: dict[str, Any]) -> datetime | None:
    value = state.get(CURSOR_KEY)
    moment = parse_datetime(value) if isinstance(value, str) else None
    return moment if moment is not None and timezone.is_aware(moment) else None


def _stored_state(source: Source) -> dict[str, Any]:
    """The state as stored now: a token refreshed during the pull (here or elsewhere) is kept."""
    stored = Source.objects.filter(pk=source.pk).values_list("state", flat=True).first()
    return dict(stored or {})
