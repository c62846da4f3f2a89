"""The WeChat Official Account connector against a local server that speaks the platform's protocol."""

import json
import logging
import threading
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from mediamatrix.core.models import AuditEvent
from mediamatrix.ingestion.choices import ImportStatus, SourceState
from mediamatrix.ingestion.connectors import PullError, get
from mediamatrix.ingestion.connectors.wechat import client as client_module
from mediamatrix.ingestion.connectors.wechat.client import WechatClient
from mediamatrix.ingestion.connectors.wechat.errors import WechatError
from mediamatrix.ingestion.connectors.wechat.mapping import PLATFORM_TZ, platform_day
from mediamatrix.ingestion.connectors.wechat.pull import pull
from mediamatrix.ingestion.models import AccountSnapshot, ImportRun, MetricSnapshot, Post, Source
from mediamatrix.ingestion.services import source_pull
from tests.ingestion.wechat_server import (
    APP_ID,
    APP_SECRET,
    ARTICLE_TOTAL,
    PUBLISHED,
    TOKEN,
    USER_CUMULATE,
    WechatServer,
)

BACKOFF = 0.5


@pytest.fixture
def sleeps(monkeypatch, settings):
    settings.WECHAT_BACKOFF_SECONDS = BACKOFF
    waited: list[float] = []
    monkeypatch.setattr(client_module, "sleep", waited.append)
    return waited


@pytest.fixture
def wechat(httpserver, settings, sleeps):
    settings.WECHAT_API_BASE = httpserver.url_for("/")
    return WechatServer(httpserver)


@pytest.fixture
def source(world):
    return Source.objects.create(
        connector="wechat",
        account=world.account_a,
        owner_path=world.account_a.owner_path,
        name="东湖发布（公众号接口）",
        config={"app_id": APP_ID},
        secret=APP_SECRET,
    )


def fresh(source):
    return Source.objects.get(pk=source.pk)


def days_ago(n, hour=10):
    """A moment n days ago in Beijing time, safely in the past."""
    day = timezone.now().astimezone(PLATFORM_TZ).date() - timedelta(days=n)
    return datetime.combine(day, time(hour), tzinfo=PLATFORM_TZ)


def yesterday():
    return platform_day(timezone.now()) - timedelta(days=1)


def seed(wechat):
    """Four publications in the window, one outside it, statistics and followers."""
    flood = wechat.publish(["东湖区召开防汛工作会议", "暴雨蓝色预警", "便民服务指南"], days_ago(2))
    sorting = wechat.publish(["东湖街道开展垃圾分类宣传"], days_ago(1))
    wechat.publish(["社区义诊活动", "已删除的稿件"], days_ago(3), deleted=(2,))
    wechat.publish(["老旧小区改造进展"], days_ago(4), short_urls=True)
    wechat.publish(["四十天前的稿件"], days_ago(40))
    ref = days_ago(2).date()
    wechat.add_article_total(
        f"{flood['mid']}_1",
        "东湖区召开防汛工作会议",
        ref,
        [(ref, 300, 5, 1), (ref + timedelta(days=1), 1500, 30, 12)],
    )
    wechat.add_article_total(
        f"{sorting['mid']}_1", "东湖街道开展垃圾分类宣传", yesterday(), [(yesterday(), 800, 10, 3)]
    )
    # No mid in a short URL: matched on title and day.
    ref4 = days_ago(4).date()
    wechat.add_article_total(
        "2247480001_1",
        "老旧小区改造进展",
        ref4,
        [(ref4 + timedelta(days=n), 100 * (n + 1), n, 0) for n in range(4)],
    )
    # Sent to followers but not in the publication list.
    wechat.add_article_total("2247480002_1", "只群发的通知", ref4, [(ref4, 50, 0, 0)])
    wechat.cumulate_users[yesterday().isoformat()] = 12345
    return flood, sorting


def test_connector_is_registered_for_the_source_pages():
    connector = get("wechat")
    assert connector.kind == "pull" and connector.label == "微信公众号接口"
    assert connector.config_fields == (("app_id", "AppID"),) and connector.needs_secret


def test_full_pull_writes_posts_metrics_and_followers(wechat, source):
    flood, sorting = seed(wechat)
    run = source_pull(source=source)
    assert run.status == ImportStatus.SUCCEEDED, run.message
    assert (run.created, run.updated, run.rejected) == (6, 0, 0)
    assert "已发布文章 6 篇（4 次发布）" in run.message
    assert "图文统计 3 篇" in run.message and "1 条统计未找到对应文章" in run.message
    assert "粉丝数 12345" in run.message

    posts = {p.external_id: p for p in Post.objects.filter(account=source.account)}
    article = flood["article_id"]
    assert [posts[f"{article}:{n}"].position for n in (1, 2, 3)] == [1, 2, 3]
    headline = posts[f"{article}:1"]
    assert headline.is_headline and headline.title == "东湖区召开防汛工作会议"
    assert headline.published_at == days_ago(2)
    assert headline.author == "临江融媒" and headline.body_text.startswith("东湖区召开防汛工作会议")
    assert f"mid={flood['mid']}&idx=1" in headline.url and headline.source == "wechat"
    # The latest cumulative day's numbers, dated the end of that day in Beijing time.
    assert (headline.reads, headline.shares, headline.favourites) == (1500, 30, 12)
    assert headline.metrics_at == datetime.combine(
        yesterday() + timedelta(days=1), time(), tzinfo=PLATFORM_TZ
    )
    assert posts[f"{sorting['article_id']}:1"].reads == 800
    short = Post.objects.get(title="老旧小区改造进展")
    assert short.reads == 400 and short.shares == 3
    assert not Post.objects.filter(title__in=["已删除的稿件", "四十天前的稿件"]).exists()
    assert posts[f"{article}:2"].reads == 0 and posts[f"{article}:2"].metrics_at is None
    assert MetricSnapshot.objects.count() == 3

    snapshot = AccountSnapshot.objects.get(account=source.account)
    assert snapshot.followers == 12345
    source.account.refresh_from_db()
    assert source.account.followers == 12345

    source = fresh(source)
    assert source.status == SourceState.OK and source.last_error == ""
    assert source.state["stats_through"] == yesterday().isoformat()
    assert source.state["followers_date"] == yesterday().isoformat()
    assert datetime.fromisoformat(source.state["published_until"]) == days_ago(1)
    assert source.state["access_token"]["value"] == wechat.issued[0]


def test_second_pull_is_idempotent_and_reuses_the_token(wechat, source):
    seed(wechat)
    source_pull(source=source)
    again = source_pull(source=fresh(source))
    assert again.status == ImportStatus.SUCCEEDED
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert MetricSnapshot.objects.count() == 3 and AccountSnapshot.objects.count() == 1
    assert len(wechat.calls(TOKEN)) == 1
    # Yesterday's statistics and followers were seen: not asked again the same day.
    assert len(wechat.calls(ARTICLE_TOTAL)) == 7 and len(wechat.calls(USER_CUMULATE)) == 1
    # Every API call carried the one cached token; the secret only went in the token request body.
    tokens = {query["access_token"] for path, query, _ in wechat.requests if path != TOKEN}
    assert tokens == set(wechat.issued)
    assert all(APP_SECRET not in json.dumps(query) for _, query, _ in wechat.requests)


def test_requests_follow_the_documented_shapes(wechat, source):
    seed(wechat)
    source_pull(source=source)
    ((_, token_body),) = wechat.calls(TOKEN)
    assert token_body == {
        "grant_type": "client_credential",
        "appid": APP_ID,
        "secret": APP_SECRET,
        "force_refresh": False,
    }
    assert [body for _, body in wechat.calls(PUBLISHED)] == [
        {"offset": 0, "count": 20, "no_content": 0}
    ]
    days = sorted(body["begin_date"] for _, body in wechat.calls(ARTICLE_TOTAL))
    assert days == [(yesterday() - timedelta(days=n)).isoformat() for n in range(6, -1, -1)]
    assert all(b["begin_date"] == b["end_date"] for _, b in wechat.calls(ARTICLE_TOTAL))
    assert [body for _, body in wechat.calls(USER_CUMULATE)] == [
        {"begin_date": yesterday().isoformat(), "end_date": yesterday().isoformat()}
    ]


def test_pages_of_twenty_until_older_than_the_window(wechat, source):
    for n in range(25):
        wechat.publish([f"第{n}篇"], days_ago(0, hour=0) - timedelta(hours=n))
    for n in range(3):
        wechat.publish([f"旧稿{n}"], days_ago(31 + n))
    run = source_pull(source=source)
    assert run.created == 25
    assert [body["offset"] for _, body in wechat.calls(PUBLISHED)] == [0, 20]


def test_later_pulls_list_back_to_the_statistics_window(wechat, source):
    wechat.publish(["十天前"], days_ago(10))
    wechat.publish(["五天前"], days_ago(5))
    source_pull(source=source)
    wechat.publish(["今天"], days_ago(0, hour=0))
    run = source_pull(source=fresh(source))
    # The cursor is newer than eight days back: the listing stops at the eight-day window.
    assert (run.created, run.unchanged) == (1, 1)


def test_token_near_expiry_is_refreshed(wechat, source):
    wechat.expires_in = 120  # less than the five-minute margin
    source_pull(source=source)
    run = source_pull(source=fresh(source))
    assert run.status == ImportStatus.SUCCEEDED
    assert [body["force_refresh"] for _, body in wechat.calls(TOKEN)] == [False, False]
    assert fresh(source).state["access_token"]["value"] == wechat.issued[-1]


def test_token_expired_on_the_platform_is_renewed_once(wechat, source):
    source_pull(source=source)
    wechat.expire_tokens()
    run = source_pull(source=fresh(source))
    assert run.status == ImportStatus.SUCCEEDED
    assert [body["force_refresh"] for _, body in wechat.calls(TOKEN)] == [False, False]


def test_invalid_token_is_force_refreshed_once_and_the_call_repeated(wechat, source):
    wechat.publish(["一篇"], days_ago(1))
    wechat.fail(PUBLISHED, 40001)
    run = source_pull(source=source)
    assert run.status == ImportStatus.SUCCEEDED and run.created == 1
    assert [body["force_refresh"] for _, body in wechat.calls(TOKEN)] == [False, True]
    assert len(wechat.calls(PUBLISHED)) == 2


def test_token_refused_after_refresh_fails_the_pull(wechat, source):
    wechat.fail(PUBLISHED, 40001, times=2)
    run = source_pull(source=source)
    assert run.status == ImportStatus.FAILED
    assert "access_token 无效" in run.message and "40001" in run.message
    assert len(wechat.calls(TOKEN)) == 2


def test_a_worker_holding_an_old_state_uses_the_token_another_worker_stored(wechat, source):
    """The re-read after the lock: no second token request when the row already has a new one."""
    source_pull(source=source)
    loaded_earlier = fresh(source)
    loaded_earlier.state = {
        "access_token": {"value": "old", "expires_at": "2000-01-01T00:00:00+00:00"}
    }
    run = source_pull(source=loaded_earlier)
    assert run.status == ImportStatus.SUCCEEDED and len(wechat.calls(TOKEN)) == 1

    # A token refused by the platform: the worker that reaches the lock second takes the new one.
    holding_old = fresh(source)
    wechat.invalidate_tokens()
    assert source_pull(source=fresh(source)).status == ImportStatus.SUCCEEDED
    assert [body["force_refresh"] for _, body in wechat.calls(TOKEN)] == [False, True]
    assert source_pull(source=holding_old).status == ImportStatus.SUCCEEDED
    assert len(wechat.calls(TOKEN)) == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_with_an_expired_token_fetch_one(wechat, world):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs row locks and concurrent connections: SQLite's shared in-memory test "
            "database fails instead of waiting; the re-read logic is tested above"
        )
    source = Source.objects.create(
        connector="wechat",
        account=world.account_a,
        owner_path=world.account_a.owner_path,
        name="东湖发布",
        config={"app_id": APP_ID},
        secret=APP_SECRET,
        state={"access_token": {"value": "stale", "expires_at": "2000-01-01T00:00:00+00:00"}},
    )
    wechat.token_delay = 0.5
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def worker():
        try:
            loaded = Source.objects.get(pk=source.pk)
            barrier.wait()
            with WechatClient(loaded, app_id=APP_ID) as client:
                outcomes.append(client.call(PUBLISHED, {"offset": 0, "count": 20, "no_content": 0}))
        except Exception as error:  # reported below
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert all(isinstance(o, dict) and o["total_count"] == 0 for o in outcomes), outcomes
    assert len(outcomes) == 2 and len(wechat.calls(TOKEN)) == 1


def test_busy_and_minute_quota_are_retried_with_backoff(wechat, source, sleeps):
    wechat.publish(["一篇"], days_ago(1))
    wechat.fail(PUBLISHED, -1, times=2)
    wechat.fail(ARTICLE_TOTAL, 45011)
    run = source_pull(source=source)
    assert run.status == ImportStatus.SUCCEEDED and run.created == 1
    assert sleeps == [BACKOFF, 2 * BACKOFF, BACKOFF]


ERRORS = [
    # (what the server does, words the message must hold, retryable)
    ("wrong_appid", "AppID 无效", False),
    ("wrong_secret", "AppSecret 无效", False),
    (
        "whitelist",
        "服务器 IP 127.0.0.1 不在公众号白名单中，请在公众平台「设置与开发-基本配置-IP白名单」中添加",
        False,
    ),
    ("daily_quota", "接口今日调用次数已达上限", True),
    ("busy", "系统繁忙", True),
    ("minute_quota", "接口调用过于频繁", True),
    ("unauthorized", "公众号没有此接口的权限", False),
]


def arrange(wechat, source, case):
    if case == "wrong_appid":
        source.config = {"app_id": "wx0000000000000000"}
        source.save()
    elif case == "wrong_secret":
        source.secret = "0123456789abcdef0123456789abcdef"
        source.save()
    elif case == "whitelist":
        wechat.whitelist = {"203.0.113.7"}
    elif case == "daily_quota":
        wechat.daily_quota[PUBLISHED] = 0
    elif case == "busy":
        wechat.fail(PUBLISHED, -1, times=3)
    elif case == "minute_quota":
        wechat.fail(PUBLISHED, 45011, times=3)
    elif case == "unauthorized":
        wechat.unauthorized.add(PUBLISHED)


@pytest.mark.parametrize(("case", "words", "retryable"), ERRORS, ids=[e[0] for e in ERRORS])
def test_each_error_gives_a_clear_message_and_the_right_backoff(
    wechat, source, sleeps, case, words, retryable
):
    arrange(wechat, source, case)
    before = timezone.now()
    with pytest.raises(PullError) as raised:
        pull(fresh(source))
    assert words in str(raised.value) and raised.value.retryable is retryable

    arrange(wechat, source, case)  # scripted failures were used up by the first pull
    run = source_pull(source=fresh(source))
    assert run.status == ImportStatus.FAILED and words in run.message
    source = fresh(source)
    assert source.status == SourceState.ERROR and source.last_error == run.message
    assert source.consecutive_failures == 1
    wait = source.next_pull_at - before
    if retryable:
        assert timedelta(minutes=4) < wait < timedelta(minutes=6)
    else:
        assert wait > timedelta(hours=23)
    if case in ("busy", "minute_quota"):
        assert sleeps[:2] == [BACKOFF, 2 * BACKOFF]


def test_statistics_errors_are_mapped(wechat, source):
    day = yesterday()
    with WechatClient(source, app_id=APP_ID) as client:
        with pytest.raises(WechatError) as too_long:
            client.call(
                ARTICLE_TOTAL,
                {"begin_date": (day - timedelta(days=1)).isoformat(), "end_date": day.isoformat()},
            )
        with pytest.raises(WechatError) as bad_format:
            client.call(ARTICLE_TOTAL, {"begin_date": "2024/01/01", "end_date": "2024/01/01"})
    assert too_long.value.errcode == 61501 and "日期范围错误" in too_long.value.describe()
    assert bad_format.value.errcode == 61500 and "日期格式错误" in bad_format.value.describe()
    assert not too_long.value.pull_error().retryable


def test_an_unverified_account_still_gets_its_posts(wechat, source):
    wechat.publish(["一篇"], days_ago(1))
    wechat.unauthorized.update({ARTICLE_TOTAL, USER_CUMULATE})
    run = source_pull(source=source)
    assert run.status == ImportStatus.SUCCEEDED and run.created == 1
    assert "图文统计未采集" in run.message and "粉丝数未采集" in run.message
    assert "48001" in run.message
    assert not AccountSnapshot.objects.exists()
    # Not marked as seen: a later pull asks again (the permission may have been granted).
    assert "stats_through" not in fresh(source).state


def test_missing_settings_and_unreachable_api(wechat, source, settings):
    source.config = {}
    source.save()
    run = source_pull(source=source)
    assert run.status == ImportStatus.FAILED and "AppID" in run.message
    assert wechat.requests == []

    source.config = {"app_id": APP_ID}
    source.save()
    settings.WECHAT_API_BASE = "http://127.0.0.1:9"
    run = source_pull(source=fresh(source))
    assert run.status == ImportStatus.FAILED
    assert "无法访问微信接口（ConnectError）" in run.message
    assert fresh(source).next_pull_at < timezone.now() + timedelta(minutes=6)


def test_secret_and_tokens_never_leak(wechat, source, caplog):
    caplog.set_level(logging.DEBUG)
    seed(wechat)
    source_pull(source=source)  # success
    wechat.fail(PUBLISHED, 40001)
    wechat.fail(PUBLISHED, -1)
    source_pull(source=fresh(source))  # refresh and retry
    wechat.fail(PUBLISHED, 40999, errmsg=f"echo secret={APP_SECRET}")
    source_pull(source=fresh(source))  # an unknown error that echoes the secret
    wrong = "f" * 32
    Source.objects.filter(pk=source.pk).update(secret=wrong, state={})
    source_pull(source=fresh(source))  # wrong secret
    Source.objects.filter(pk=source.pk).update(secret=APP_SECRET)
    wechat.whitelist = {"203.0.113.7"}
    with pytest.raises(PullError) as raised:
        pull(fresh(source))

    secrets = [APP_SECRET, wrong]
    assert len(wechat.issued) >= 2
    runs = list(ImportRun.objects.values_list("message", flat=True))
    assert any("echo secret=***" in message for message in runs)
    events = [
        json.dumps(row, ensure_ascii=False, default=str) for row in AuditEvent.objects.values()
    ]
    assert len(events) == 4  # one per run
    logs = [r.getMessage() for r in caplog.records]
    # The test server's own request log shows query strings; our side must not.
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug")]
    assert any("wechat access token refreshed" in line for line in ours)
    for secret in secrets:
        assert secret not in caplog.text and all(secret not in line for line in logs)
        assert all(secret not in message for message in runs)
        assert all(secret not in event for event in events)
        assert secret not in repr(fresh(source)) and secret not in str(raised.value)
        assert secret not in repr(WechatClient(fresh(source), app_id=APP_ID))
    for token in wechat.issued:
        assert all(token not in line for line in ours)
        assert all(token not in message for message in runs)
        assert all(token not in event for event in events)
