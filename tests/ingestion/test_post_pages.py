"""Post list and detail pages: scoping, filters, escaping, metric history, query counts."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mediamatrix.ingestion.models import Post
from mediamatrix.ingestion.records import Metrics, PostRecord
from mediamatrix.ingestion.services import posts_upsert
from tests.conftest import ALL_ROLES
from tests.factories import AccountFactory

NOW = timezone.now().replace(microsecond=0)


def push(account, external_id, title, *, days_ago=1, reads=100, **extra):
    result = posts_upsert(
        actor=None,
        records=[
            PostRecord(
                account_id=account.pk,
                external_id=external_id,
                title=title,
                published_at=NOW - timedelta(days=days_ago),
                body_html="<p>第一段。</p><p>第二段。</p>",
                metrics=Metrics(reads=reads, likes=reads // 50),
                captured_at=extra.pop("captured_at", NOW),
                **extra,
            )
        ],
        source="test",
    )
    return Post.objects.get(pk=result.items[0].post_id)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_posts_are_scoped_for_every_role(client, world, role):
    own = push(world.account_a, "a1", "东湖区防汛会议")
    other = push(world.account_b, "b1", "西山县招聘公告")
    client.force_login(world.user(world.county_a, role))
    html = client.get(reverse("ingestion:posts")).content.decode()
    assert own.title in html and other.title not in html
    assert client.get(reverse("ingestion:post-detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("ingestion:post-detail", args=[other.pk])).status_code == 404
    assert (
        client.get(reverse("ingestion:posts"), {"account": world.account_b.pk}).status_code == 404
    )
    assert client.get(reverse("ingestion:posts"), {"unit": world.county_b.pk}).status_code == 404


def test_filters(client, world):
    douyin = AccountFactory(owner=world.town_a, platform="douyin", category="news", name="东湖抖音")
    push(world.account_a, "a1", "防汛通知", days_ago=2)
    push(world.account_a, "a2", "旧闻回顾", days_ago=40)
    push(douyin, "d1", "短视频：防汛演练", days_ago=3)
    client.force_login(world.user(world.city, "viewer"))

    def titles(**params):
        html = client.get(reverse("ingestion:posts"), params).content.decode()
        return {t for t in ("防汛通知", "旧闻回顾", "短视频：防汛演练") if t in html}

    assert titles() == {"防汛通知", "旧闻回顾", "短视频：防汛演练"}
    assert titles(period="7") == {"防汛通知", "短视频：防汛演练"}
    assert titles(platform="douyin") == {"短视频：防汛演练"}
    assert titles(category="news") == {"短视频：防汛演练"}
    assert titles(q="防汛") == {"防汛通知", "短视频：防汛演练"}
    assert titles(q="第二段") == {"防汛通知", "旧闻回顾", "短视频：防汛演练"}
    assert titles(unit=world.town_a.pk) == {"短视频：防汛演练"}
    assert titles(account=world.account_a.pk) == {"防汛通知", "旧闻回顾"}
    since = (NOW - timedelta(days=45)).date().isoformat()
    until = (NOW - timedelta(days=30)).date().isoformat()
    assert titles(since=since, until=until) == {"旧闻回顾"}


def test_titles_with_markup_are_shown_as_text(client, world):
    post = push(world.account_a, "x", '<script>alert("x")</script>标题')
    client.force_login(world.user(world.county_a, "viewer"))
    for url in (reverse("ingestion:posts"), reverse("ingestion:post-detail", args=[post.pk])):
        html = client.get(url).content.decode()
        assert '<script>alert("x")</script>' not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;标题" in html


def test_detail_carries_the_metric_history(client, world):
    push(world.account_a, "m", "数据变化", reads=100, captured_at=NOW - timedelta(days=2))
    push(world.account_a, "m", "数据变化", reads=900, captured_at=NOW - timedelta(days=1))
    post = push(world.account_a, "m", "数据变化", reads=1500, captured_at=NOW)
    client.force_login(world.user(world.county_a, "viewer"))
    response = client.get(reverse("ingestion:post-detail", args=[post.pk]))
    html = response.content.decode()
    start = html.index('<script id="metric-series" type="application/json">') + len(
        '<script id="metric-series" type="application/json">'
    )
    series = json.loads(html[start : html.index("</script>", start)])
    assert series["reads"] == [100, 900, 1500] and len(series["times"]) == 3
    assert "echarts.min.js" in html and "第二段。" in html


def test_post_list_makes_a_constant_number_of_queries(client, world):
    for i in range(120):
        push(world.account_a, f"q{i}", f"稿件{i}", days_ago=i % 30 + 1)
    client.force_login(world.user(world.county_a, "viewer"))
    counts = []
    for size in (20, 200):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("ingestion:posts"), {"page_size": size}).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
