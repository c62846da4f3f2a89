"""The RSS/Atom connector against a real HTTP server: feeds, conditional GET, full text, errors."""

import itertools
import socket
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from werkzeug import Response

from mediamatrix.ingestion.choices import ImportStatus, SourceState
from mediamatrix.ingestion.connectors import rss
from mediamatrix.ingestion.models import ImportRun, Post, Source
from mediamatrix.ingestion.services import source_create, source_pull
from mediamatrix.ingestion.tasks import pull_due_sources_task
from mediamatrix.orgs.choices import Role

ARTICLE_TEXT = (
    "6月5日上午，东湖区召开防汛工作会议，传达学习全市防汛工作会议精神，分析研判当前防汛形势，"
    "部署下阶段防汛重点工作。会议要求各街道立即落实防汛责任，加强巡查值守，确保人民群众生命财产安全。"
)


def article_page(title="东湖区召开防汛工作会议", text=ARTICLE_TEXT):
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>
<body><header><div class="logo">东湖区人民政府</div><nav class="menu"><ul>
<li><a href="/">网站首页</a></li><li><a href="/news/">政务要闻</a></li>
<li><a href="/open/">政府信息公开</a></li><li><a href="/service/">办事服务</a></li></ul></nav></header>
<div class="breadcrumb"><a href="/">首页</a> &gt; <a href="/news/">政务要闻</a></div>
<main><article><h1>{title}</h1><div class="meta">来源：区应急管理局</div>
<p>{text}</p>
<p>会议强调，要坚持底线思维，做好应急物资储备和人员转移准备。各部门要密切配合，形成工作合力，及时发布预警信息。</p>
<p>各街道、区直各部门主要负责同志参加会议。</p></article></main>
<aside><h3>相关链接</h3><ul><li><a href="/x1">东湖区开展防汛应急演练</a></li></ul></aside>
<footer><p>版权所有：东湖区人民政府办公室 备案号：临ICP备12345678号</p></footer></body></html>"""


def rss_feed(items):
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{guid}</guid>"
        f"{f'<pubDate>{date}</pubDate>' if date else ''}"
        f"<description>{description}</description></item>"
        for guid, title, link, date, description in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>东湖发布</title><link>http://example.org/</link>{body}</channel></rss>"
    )


def two_items(httpserver):
    return rss_feed(
        [
            (
                "dh-1",
                "<![CDATA[东湖区召开<b>防汛</b>工作会议]]>",
                httpserver.url_for("/news/1.html"),
                "Thu, 05 Jun 2025 10:30:00 +0800",
                "&lt;p&gt;会议要求各街道&lt;b&gt;立即&lt;/b&gt;落实。&lt;/p&gt;",
            ),
            (
                "dh-2",
                "东湖区开展应急演练",
                "/news/2.html",  # relative: resolved against the feed's address
                "Fri, 06 Jun 2025 09:00:00 +0800",
                "演练覆盖全区。",
            ),
        ]
    )


NAMES = itertools.count(1)


def make_source(world, url, *, full_text=False, account=None):
    return source_create(
        actor=None,
        account=account or world.account_a,
        connector="rss",
        name=f"网站订阅{next(NAMES)}",
        config={"feed_url": url, "fetch_full_text": full_text},
    )


def pull(source):
    source.refresh_from_db()
    run = source_pull(source=source)
    source.refresh_from_db()
    return run


def test_rss_feed_becomes_posts(world, httpserver):
    httpserver.expect_request("/feed.xml").respond_with_data(
        two_items(httpserver), content_type="application/rss+xml; charset=utf-8"
    )
    source = make_source(world, httpserver.url_for("/feed.xml"))
    run = pull(source)
    assert (run.status, run.created, run.rejected) == (ImportStatus.SUCCEEDED, 2, 0)
    first = Post.objects.get(external_id="dh-1")
    assert first.title == "东湖区召开防汛工作会议"  # markup stripped from the title
    assert first.url == httpserver.url_for("/news/1.html")
    assert first.published_at == datetime(2025, 6, 5, 2, 30, tzinfo=UTC)
    assert first.digest == "会议要求各街道立即落实。"
    assert "<b>立即</b>" in first.body_html and first.body_text == "会议要求各街道立即落实。"
    assert first.source == "rss" and first.account == world.account_a
    second = Post.objects.get(external_id="dh-2")
    assert second.url == httpserver.url_for("/news/2.html")
    assert source.status == SourceState.OK and source.consecutive_failures == 0
    assert source.last_success_at is not None
    assert source.next_pull_at > timezone.now() + timedelta(minutes=55)
    request = httpserver.log[0][0]
    assert request.headers["User-Agent"].startswith("mediamatrix/")


def test_atom_feed(world, httpserver):
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>西山县政府网</title><id>urn:xs</id>
<updated>2025-06-07T08:00:00Z</updated>
<entry><title type="html">西山县发布&lt;em&gt;高温&lt;/em&gt;预警</title>
<link rel="alternate" href="{httpserver.url_for("/a/7")}"/><id>urn:xs:entry:7</id>
<updated>2025-06-07T08:00:00Z</updated><author><name>县气象局</name></author>
<summary>预计最高气温 38℃。</summary>
<content type="html">&lt;p&gt;预计未来三天最高气温 38℃，请注意防暑。&lt;/p&gt;</content></entry></feed>"""
    httpserver.expect_request("/atom").respond_with_data(atom, content_type="application/atom+xml")
    source = make_source(world, httpserver.url_for("/atom"), account=world.account_b)
    run = pull(source)
    assert run.created == 1
    post = Post.objects.get()
    assert post.external_id == "urn:xs:entry:7" and post.title == "西山县发布高温预警"
    assert post.author == "县气象局" and post.digest == "预计最高气温 38℃。"
    assert post.body_text == "预计未来三天最高气温 38℃，请注意防暑。"
    assert post.published_at == datetime(2025, 6, 7, 8, 0, tzinfo=UTC)
    assert post.account == world.account_b and post.owner_path == world.account_b.owner_path


def test_conditional_get_304_keeps_posts_and_state(world, httpserver):
    seen = []

    def feed(request):
        seen.append(dict(request.headers))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(
            two_items(httpserver),
            content_type="application/rss+xml",
            headers={"ETag": '"v1"', "Last-Modified": "Fri, 06 Jun 2025 01:00:00 GMT"},
        )

    httpserver.expect_request("/feed.xml").respond_with_handler(feed)
    source = make_source(world, httpserver.url_for("/feed.xml"))
    assert pull(source).created == 2
    state = source.state
    assert state["etag"] == '"v1"' and state["last_modified"] == "Fri, 06 Jun 2025 01:00:00 GMT"
    second = pull(source)
    assert seen[1]["If-None-Match"] == '"v1"'
    assert seen[1]["If-Modified-Since"] == "Fri, 06 Jun 2025 01:00:00 GMT"
    assert second.status == ImportStatus.SUCCEEDED and "304" in second.message
    assert (second.created, second.updated, second.unchanged) == (0, 0, 0)
    assert source.state == state and Post.objects.count() == 2
    assert "If-None-Match" not in seen[0]


def test_changed_feed_address_drops_old_validators(world, httpserver):
    httpserver.expect_request("/old").respond_with_data(
        rss_feed([]), content_type="application/rss+xml", headers={"ETag": '"old"'}
    )
    httpserver.expect_request("/new").respond_with_data(
        rss_feed([]), content_type="application/rss+xml"
    )
    source = make_source(world, httpserver.url_for("/old"))
    pull(source)
    source.config = {**source.config, "feed_url": httpserver.url_for("/new")}
    source.save()
    pull(source)
    assert "If-None-Match" not in httpserver.log[-1][0].headers


def test_full_text_replaces_teaser_and_drops_boilerplate(world, httpserver):
    httpserver.expect_request("/feed.xml").respond_with_data(
        two_items(httpserver), content_type="application/rss+xml"
    )
    httpserver.expect_request("/news/1.html").respond_with_data(
        article_page(), content_type="text/html; charset=utf-8"
    )
    httpserver.expect_request("/news/2.html").respond_with_data("gone", status=404)
    source = make_source(world, httpserver.url_for("/feed.xml"), full_text=True)
    run = pull(source)
    assert run.created == 2
    post = Post.objects.get(external_id="dh-1")
    assert ARTICLE_TEXT in post.body_text and "应急物资储备" in post.body_text
    for boilerplate in ("政府信息公开", "办事服务", "备案号", "相关链接"):
        assert boilerplate not in post.body_text
    assert post.digest == "会议要求各街道立即落实。"  # the feed's summary stays the digest
    # The article that could not be fetched keeps the feed's content, and the run says so.
    assert Post.objects.get(external_id="dh-2").body_text == "演练覆盖全区。"
    assert "1 篇全文抓取失败" in run.message


def test_article_pages_are_fetched_only_from_the_feeds_site(world, httpserver):
    port = httpserver.port
    feed = rss_feed(
        [
            # Another host: a feed must not steer the worker to addresses elsewhere.
            ("far", "别处的文章", f"http://127.0.0.2:{port}/far", "", "订阅中的正文"),
            ("hop", "跳转到别处", httpserver.url_for("/hop"), "", "跳转前的正文"),
        ]
    )
    httpserver.expect_request("/feed.xml").respond_with_data(
        feed, content_type="application/rss+xml"
    )
    httpserver.expect_request("/far").respond_with_data(article_page(), content_type="text/html")
    httpserver.expect_request("/hop").respond_with_data(
        "", status=302, headers={"Location": f"http://127.0.0.2:{port}/far"}
    )
    run = pull(make_source(world, httpserver.url_for("/feed.xml"), full_text=True))
    assert run.created == 2 and "1 篇链接不在订阅所在网站" in run.message
    assert Post.objects.get(external_id="far").body_text == "订阅中的正文"
    assert Post.objects.get(external_id="hop").body_text == "跳转前的正文"
    assert [r.path for r, _ in httpserver.log] == ["/feed.xml", "/hop"]


@pytest.mark.parametrize(
    ("url", "reference", "same"),
    [
        ("http://www.donghu.gov.cn/a/1.html", "http://rss.donghu.gov.cn/feed", True),
        ("http://www.xishan.gov.cn/a/1.html", "http://www.donghu.gov.cn/feed", False),
        ("http://10.1.2.3/a", "http://10.1.2.3:8080/feed", True),
        ("http://10.1.2.4/a", "http://10.1.2.3/feed", False),
        ("http://169.254.169.254/latest/", "http://www.donghu.gov.cn/feed", False),
    ],
)
def test_same_site(url, reference, same):
    assert rss.same_site(url, reference) is same


def test_pulling_again_changes_nothing_and_fetches_no_article_twice(world, httpserver):
    httpserver.expect_request("/feed.xml").respond_with_data(
        two_items(httpserver), content_type="application/rss+xml"
    )
    for path in ("/news/1.html", "/news/2.html"):
        httpserver.expect_request(path).respond_with_data(article_page(), content_type="text/html")
    source = make_source(world, httpserver.url_for("/feed.xml"), full_text=True)
    assert pull(source).created == 2
    bodies = dict(Post.objects.values_list("external_id", "body_html"))
    again = pull(source)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert dict(Post.objects.values_list("external_id", "body_html")) == bodies
    article_hits = [r for r, _ in httpserver.log if r.path.startswith("/news/")]
    assert len(article_hits) == 2


def test_article_fetches_are_capped_and_the_rest_wait(world, httpserver, monkeypatch):
    monkeypatch.setattr(rss, "MAX_ARTICLES_PER_PULL", 2)
    items = [
        (f"n{i}", f"新闻{i}", httpserver.url_for(f"/n/{i}"), "Fri, 06 Jun 2025 09:00:00 +0800", "")
        for i in range(5)
    ]
    httpserver.expect_request("/feed.xml").respond_with_data(
        rss_feed(items), content_type="application/rss+xml", headers={"ETag": '"e"'}
    )
    for i in range(5):
        httpserver.expect_request(f"/n/{i}").respond_with_data(
            article_page(f"新闻{i}"), content_type="text/html"
        )
    source = make_source(world, httpserver.url_for("/feed.xml"), full_text=True)
    first = pull(source)
    assert first.created == 2 and "3 篇留待下次采集" in first.message
    assert source.state["etag"] == ""  # so the next pull reads the feed again
    assert pull(source).created == 2
    assert pull(source).created == 1
    assert Post.objects.filter(body_text__contains="应急物资储备").count() == 5


def test_undated_entries_take_the_time_first_seen(world, httpserver):
    feed = rss_feed([("u1", "没有日期的条目", httpserver.url_for("/u1"), "", "正文")])
    httpserver.expect_request("/feed.xml").respond_with_data(
        feed, content_type="application/rss+xml"
    )
    source = make_source(world, httpserver.url_for("/feed.xml"))
    before = timezone.now()
    pull(source)
    first_seen = Post.objects.get().published_at
    assert before - timedelta(seconds=1) <= first_seen <= timezone.now()
    again = pull(source)
    assert again.unchanged == 1 and Post.objects.get().published_at == first_seen


def test_entries_dated_in_the_future_are_rejected_with_a_reason(world, httpserver):
    future = (timezone.now() + timedelta(days=3)).strftime("%a, %d %b %Y %H:%M:%S +0000")
    feed = rss_feed(
        [
            ("ok", "正常条目", httpserver.url_for("/ok"), "Fri, 06 Jun 2025 09:00:00 +0800", ""),
            ("late", "未来条目", httpserver.url_for("/late"), future, ""),
        ]
    )
    httpserver.expect_request("/feed.xml").respond_with_data(
        feed, content_type="application/rss+xml"
    )
    run = pull(make_source(world, httpserver.url_for("/feed.xml")))
    assert run.status == ImportStatus.PARTIAL and (run.created, run.rejected) == (1, 1)
    assert run.errors[0]["row"] == 2 and run.errors[0]["field"] == "published_at"


def assert_failed(source, run, *words, failures=1):
    assert run.status == ImportStatus.FAILED
    assert source.status == SourceState.ERROR and source.consecutive_failures == failures
    for word in words:
        assert word in source.last_error and word in run.message
    assert Post.objects.count() == 0


def test_an_html_page_is_not_a_feed(world, httpserver, client):
    httpserver.expect_request("/news/").respond_with_data(
        article_page(), content_type="text/html; charset=utf-8"
    )
    source = make_source(world, httpserver.url_for("/news/"))
    started = timezone.now()
    run = pull(source)
    assert_failed(source, run, "不是 RSS/Atom（XML）内容", "text/html")
    backoff = source.next_pull_at - started
    assert timedelta(minutes=4, seconds=50) < backoff <= timedelta(minutes=5, seconds=10)
    client.force_login(world.user(world.county_a, Role.VIEWER))
    page = client.get(reverse("ingestion:source-detail", args=[source.pk])).content.decode()
    assert escape(source.last_error) in page and "出错" in page
    listing = client.get(reverse("ingestion:sources")).content.decode()
    assert escape(source.last_error) in listing


def test_json_is_not_a_feed(world, httpserver):
    httpserver.expect_request("/api").respond_with_json({"items": [{"title": "x"}]})
    source = make_source(world, httpserver.url_for("/api"))
    assert_failed(source, pull(source), "不是 RSS/Atom（XML）内容", "application/json")


def test_a_damaged_feed_keeps_what_it_can_read(world, httpserver):
    damaged = two_items(httpserver).replace("</channel></rss>", "<item><title>截断")
    httpserver.expect_request("/feed.xml").respond_with_data(
        damaged, content_type="application/rss+xml"
    )
    run = pull(make_source(world, httpserver.url_for("/feed.xml")))
    # The two whole entries are written; the cut-off one is refused with its reason.
    assert (run.status, run.created, run.rejected) == (ImportStatus.PARTIAL, 2, 1)
    assert run.errors[0]["row"] == 3 and run.errors[0]["field"] == "title"
    assert "格式错误" in run.message


def test_server_errors_back_off_and_recovery_resets(world, httpserver):
    responses = iter([("", 500), ("", 503), (two_items(httpserver), 200)])

    def feed(request):
        body, status = next(responses)
        return Response(body, status=status, content_type="application/rss+xml")

    httpserver.expect_request("/feed.xml").respond_with_handler(feed)
    source = make_source(world, httpserver.url_for("/feed.xml"))
    run = pull(source)
    assert_failed(source, run, "HTTP 500", "自动重试")
    now = timezone.now()
    run = pull(source)
    assert_failed(source, run, "HTTP 503", failures=2)
    assert source.next_pull_at - now > timedelta(minutes=9)  # 10 minutes after two failures
    run = pull(source)
    assert run.status == ImportStatus.SUCCEEDED and run.created == 2
    assert source.status == SourceState.OK and source.consecutive_failures == 0
    assert source.last_error == ""
    assert ImportRun.objects.filter(status=ImportStatus.FAILED).count() == 2


def test_not_found_and_gone(world, httpserver):
    httpserver.expect_request("/missing").respond_with_data("no", status=404)
    httpserver.expect_request("/gone").respond_with_data("no", status=410)
    missing = make_source(world, httpserver.url_for("/missing"))
    assert_failed(missing, pull(missing), "HTTP 404", "核对订阅地址")
    gone = make_source(world, httpserver.url_for("/gone"))
    assert_failed(gone, pull(gone), "HTTP 410")
    assert gone.next_pull_at > timezone.now() + timedelta(hours=23)  # not retried every minutes


def test_unreachable_server_and_timeouts(world, httpserver, monkeypatch):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    refused = make_source(world, f"http://127.0.0.1:{port}/feed.xml")
    assert_failed(refused, pull(refused), "无法连接")

    def slow(request):
        time.sleep(0.6)
        return Response(rss_feed([]), content_type="application/rss+xml")

    monkeypatch.setattr(rss, "TIMEOUT", httpx.Timeout(0.2))
    httpserver.expect_request("/slow").respond_with_handler(slow)
    slow_source = make_source(world, httpserver.url_for("/slow"))
    assert_failed(slow_source, pull(slow_source), "超时")


def test_feeds_over_the_size_cap_are_refused(world, httpserver, monkeypatch):
    monkeypatch.setattr(rss, "MAX_FEED_BYTES", 1024)
    httpserver.expect_request("/big").respond_with_data(
        rss_feed([(f"b{i}", "标题" * 20, f"http://x/{i}", "", "") for i in range(40)]),
        content_type="application/rss+xml",
    )
    source = make_source(world, httpserver.url_for("/big"))
    assert_failed(source, pull(source), "KB 的上限")


def test_scheduler_enqueues_only_due_enabled_sources(world, httpserver):
    httpserver.expect_request("/feed.xml").respond_with_data(
        two_items(httpserver), content_type="application/rss+xml"
    )
    url = httpserver.url_for("/feed.xml")
    due = make_source(world, url)
    later = make_source(world, url, account=world.account_b)
    stopped = make_source(world, url)
    now = timezone.now()
    Source.objects.filter(pk=later.pk).update(next_pull_at=now + timedelta(minutes=30))
    Source.objects.filter(pk=stopped.pk).update(enabled=False)
    assert pull_due_sources_task.call() == 1  # the test backend runs the queued pull at once
    due.refresh_from_db(), later.refresh_from_db(), stopped.refresh_from_db()
    assert due.last_pulled_at is not None and due.next_pull_at > now + timedelta(minutes=55)
    assert later.last_pulled_at is None and stopped.last_pulled_at is None
    assert Post.objects.filter(account=world.account_a).count() == 2
    assert pull_due_sources_task.call() == 0  # nothing is due any more
