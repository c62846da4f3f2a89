"""The demo city's posts: volume, rhythm, dormancy, numbers, planted problems and determinism.

The scale-1 city and its 90 days of posts are generated once for the module inside a transaction
that is rolled back at the end; each test runs in a savepoint inside it.
"""

import hashlib
import statistics
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from difflib import SequenceMatcher
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mediamatrix.core.models import AuditEvent
from mediamatrix.engines.text import normalize
from mediamatrix.ingestion.demo import generate_demo_posts, window_end
from mediamatrix.ingestion.demo.material import rumours
from mediamatrix.ingestion.models import AccountSnapshot, MetricSnapshot, Post
from mediamatrix.ingestion.records import Metrics, PostRecord
from mediamatrix.ingestion.services import content_hash, posts_upsert
from mediamatrix.orgs.choices import AccountStatus
from mediamatrix.orgs.demo import DemoError, generate_demo
from mediamatrix.orgs.models import Account, GridGroup, Membership, Unit
from mediamatrix.orgs.selectors import registry_health
from mediamatrix.users.models import User

TZ = ZoneInfo("Asia/Shanghai")
END = datetime(2026, 1, 1, tzinfo=TZ)
START = END - timedelta(days=90)
VIDEO = {"douyin", "kuaishou", "bilibili", "wechat_channels"}


def fingerprint() -> str:
    rows = sorted(
        Post.objects.values_list("account__handle", "external_id", "title", "reads", "plays")
    )
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def wipe_posts() -> None:
    for model in (MetricSnapshot, AccountSnapshot, Post):
        model.objects.all()._raw_delete(model.objects.db)


def wipe_all() -> None:
    wipe_posts()
    GridGroup.objects.all().delete()
    Account.objects.all().delete()
    Membership.objects.all().delete()
    Unit.objects.all()._raw_delete(Unit.objects.db)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    steps: list[tuple[str, int, int]] = []
    with django_db_blocker.unblock(), transaction.atomic():
        generate_demo()
        summary = generate_demo_posts(end=END, progress=lambda *step: steps.append(step))
        yield {"summary": summary, "steps": steps, "fingerprint": fingerprint()}
        transaction.set_rollback(True)


@pytest.fixture
def posts(demo, db):
    return demo["summary"]


def find(planted) -> Post:
    return Post.objects.get(
        account__platform=planted.platform,
        account__handle=planted.handle,
        external_id=planted.external_id,
    )


def test_ninety_days_of_posts_at_a_city_scale(demo, posts):
    total = Post.objects.count()
    assert posts.posts == total and 25_000 <= total <= 60_000
    assert not Post.objects.filter(published_at__lte=START).exists()
    assert not Post.objects.filter(published_at__gt=END).exists()
    assert Post.objects.filter(published_at__gte=END - timedelta(days=1)).exists()
    assert Post.objects.filter(published_at__lt=START + timedelta(days=1)).exists()
    platforms = Counter(Post.objects.values_list("platform", flat=True))
    assert platforms.most_common(1)[0][0] == "wechat_oa"
    assert {"weibo", "douyin", "website", "toutiao"} <= set(platforms)
    assert posts.metric_snapshots == MetricSnapshot.objects.count()
    assert total < posts.metric_snapshots <= 3 * total
    assert posts.account_snapshots == AccountSnapshot.objects.count()
    finals = {step: (done, total) for step, done, total in demo["steps"]}
    assert finals["稿件"] == (posts.accounts, posts.accounts)
    assert AuditEvent.objects.filter(verb="demo.generate_posts").count() == 1


def test_wechat_pushes_have_a_headline_and_up_to_four_articles(posts):
    pushes = defaultdict(list)
    for account, at, position in Post.objects.filter(platform="wechat_oa").values_list(
        "account_id", "published_at", "position"
    ):
        pushes[(account, at)].append(position)
    assert all(sorted(p) == list(range(1, len(p) + 1)) and len(p) <= 4 for p in pushes.values())
    per_day = Counter((account, at.astimezone(TZ).date()) for account, at in pushes)
    assert max(per_day.values()) <= 3
    assert not Post.objects.exclude(platform="wechat_oa").exclude(position=None).exists()


def test_dormant_accounts_went_quiet_two_to_six_weeks_ago(posts):
    dormant = [tuple(key.split(":", 1)) for key in posts.dormant]
    assert 0.05 <= len(dormant) / posts.accounts <= 0.15
    lasts = []
    for platform, handle in dormant:
        account = Account.objects.get(platform=platform, handle=handle)
        newest = account.posts.order_by("-published_at").first()
        assert newest is not None and account.last_post_at == newest.published_at
        assert END - timedelta(days=41) < account.last_post_at < END - timedelta(days=14)
        lasts.append(account.last_post_at)
    # Some are just over the 14-day line, others long gone.
    assert any(last > END - timedelta(days=15) for last in lasts)
    assert any(last < END - timedelta(days=20) for last in lasts)
    # Some are filed as dormant; others are still "active" in the registry: the rule finds them.
    statuses = Counter(
        Account.objects.get(platform=platform, handle=handle).status for platform, handle in dormant
    )
    assert statuses[AccountStatus.DORMANT] and statuses[AccountStatus.ACTIVE]


def test_live_accounts_post_regularly_up_to_the_end(posts):
    dormant = set(posts.dormant)
    times = defaultdict(list)
    for account, at in Post.objects.values_list("account_id", "published_at"):
        times[account].append(at)
    for account in Account.objects.filter(status=AccountStatus.ACTIVE):
        assert times[account.pk], f"{account} has no posts"
        if f"{account.platform}:{account.handle}" in dormant:
            continue
        moments = sorted(times[account.pk])
        assert account.last_post_at == moments[-1]
        assert moments[-1] > END - timedelta(days=3)
        gaps = [b - a for a, b in zip([START, *moments], moments, strict=False)]
        assert max(gaps) < timedelta(days=11), account


def test_pending_and_closed_accounts_are_silent_except_the_planted_one(posts):
    assert not Post.objects.filter(account__status=AccountStatus.PENDING).exists()
    health = registry_health(User.objects.get(username="admin"))
    assert [a.name for a in health.closed_but_posting] == ["东湖城管"]
    still_posting = health.closed_but_posting[0]
    closed_posts = Post.objects.filter(account__status=AccountStatus.CLOSED)
    assert set(closed_posts.values_list("account_id", flat=True)) == {still_posting.pk}
    assert not closed_posts.filter(published_at__lte=still_posting.closed_at).exists()


def test_reads_are_heavy_tailed_with_a_few_over_100000(posts):
    total = Post.objects.count()
    over = Post.objects.filter(reads__gt=100_000).count()
    assert 1 <= over <= total * 0.005
    reads = sorted(Post.objects.filter(platform="wechat_oa").values_list("reads", flat=True))
    assert reads[-1] > 50 * statistics.median(reads)
    rows = list(Post.objects.filter(reads__gte=100).values_list("reads", "likes", "shares"))
    assert 0.01 <= statistics.median(likes / reads for reads, likes, _ in rows) <= 0.03
    assert 0.003 <= statistics.median(shares / reads for reads, _, shares in rows) <= 0.02
    wechat = Post.objects.filter(platform="wechat_oa", likes__gt=20)
    assert not wechat.filter(wows__gt=F("likes")).exists()
    videos = Post.objects.filter(platform__in=VIDEO)
    assert not videos.filter(plays=0, published_at__lt=END - timedelta(days=1)).exists()
    assert not videos.exclude(reads=0).exists()
    assert not Post.objects.exclude(platform__in=VIDEO).exclude(plays=0).exists()
    assert not Post.objects.exclude(metrics_at=END).exists()


def test_snapshots_grow_and_end_at_the_posts_values(posts):
    sample = list(Post.objects.order_by("id")[::60])
    snapshots = defaultdict(list)
    for snap in MetricSnapshot.objects.filter(post__in=sample).order_by("captured_at"):
        snapshots[snap.post_id].append(snap)
    fields = ("reads", "likes", "wows", "shares", "comments", "favourites", "plays")
    for post in sample:
        series = snapshots[post.pk]
        assert 1 <= len(series) <= 3
        steps = {post.published_at + timedelta(days=d) for d in (1, 3, 7)}
        assert all(s.captured_at in steps or s.captured_at == END for s in series)
        assert all(s.captured_at <= END for s in series)
        for name in fields:
            values = [getattr(s, name) for s in series]
            assert values == sorted(values)
            assert values[-1] == getattr(post, name)


def test_followers_are_counted_daily_and_grow_slowly(posts):
    account = Account.objects.get(name="临江发布", platform="wechat_oa")
    series = list(account.snapshots.order_by("captured_at").values_list("captured_at", "followers"))
    assert len(series) == 90 and series[-1] == (END, account.followers)
    counts = [count for _, count in series]
    assert counts == sorted(counts) and counts[0] >= 0.9 * counts[-1]
    assert not AccountSnapshot.objects.filter(account__status=AccountStatus.PENDING).exists()


def test_planted_problems_are_there_to_be_found(posts):
    counts = posts.counts()
    assert all(counts[kind] > 0 for kind in ("clickbait", "typo", "reprint", "copy", "rumour"))
    total = posts.posts
    assert 0.015 <= counts["clickbait"] / total <= 0.05
    assert 0.015 <= counts["typo"] / total <= 0.05
    assert 0.02 <= (counts["reprint"] + counts["copy"]) / total <= 0.08
    assert 3 <= counts["rumour"] <= 25
    for planted in posts.planted[::25]:
        post = find(planted)
        text = post.title + post.body_text
        if planted.kind == "clickbait":
            assert post.title == planted.detail
        elif planted.kind == "typo":
            wrong = planted.detail.split("/")[0]
            assert wrong in text
        elif planted.kind == "reprint":
            assert post.declared_source == planted.detail and post.is_original is False
    # Nothing in the data tells planted posts apart.
    assert set(Post.objects.values_list("source", flat=True)) == {"demo"}


def test_copies_are_near_identical_to_another_accounts_original(posts):
    copies = [p for p in posts.planted if p.kind == "copy"]
    for planted in copies[:: max(1, len(copies) // 20)]:
        copy = find(planted)
        platform, handle, external_id = planted.detail.split(":", 2)
        original = Post.objects.get(
            account__platform=platform, account__handle=handle, external_id=external_id
        )
        assert copy.account_id != original.account_id and copy.declared_source == ""
        assert copy.owner_path != original.owner_path
        assert original.published_at < copy.published_at
        assert copy.body_text != original.body_text
        body = "\n".join(original.body_text.splitlines()[:-1])  # without the closing line
        assert SequenceMatcher(None, body, copy.body_text).ratio() > 0.75


def test_rumour_posts_repeat_a_rumour_from_the_data_file(posts):
    known = {r["id"]: r for r in rumours()}
    assert len(known) == 5
    assert all(r["claim"] and r["debunk"]["text"] and r["debunk"]["title"] for r in known.values())
    planted = [p for p in posts.planted if p.kind == "rumour"]
    for item in planted:
        rumour = known[item.detail]
        post = find(item)
        text = post.title + post.body_text
        assert any(keyword in text for keyword in rumour["keywords"]), text
        assert post.declared_source == ""
        assert (
            post.account.owner is None
            or post.account.owner.level >= 3
            or (post.account.category == "self_media")
        )


def test_stored_text_and_hash_are_what_the_upsert_computes(posts):
    sample = list(Post.objects.order_by("id")[::97])
    sample += [find(p) for p in posts.planted[::40]]
    for post in sample:
        expected = normalize(post.body_html, html=True).text if post.body_html else ""
        assert post.body_text == expected
        assert post.content_hash == content_hash(post.title, post.body_text)
    records = [
        PostRecord(
            account_id=post.account_id,
            external_id=post.external_id,
            title=post.title,
            published_at=post.published_at,
            url=post.url,
            author=post.author,
            digest=post.digest,
            body_html=post.body_html,
            position=post.position,
            is_original=post.is_original,
            declared_source=post.declared_source,
            metrics=Metrics(
                **{
                    name: getattr(post, name)
                    for name in ("reads", "likes", "wows", "shares", "comments", "favourites")
                },
                plays=post.plays,
            ),
            captured_at=END,
        )
        for post in sample
    ]
    before = MetricSnapshot.objects.count()
    result = posts_upsert(actor=None, records=records, source="demo")
    assert {item.status for item in result.items} == {"unchanged"}
    assert MetricSnapshot.objects.count() == before


def test_links_and_ids_look_like_the_platforms(posts):
    for platform, prefix in [
        ("wechat_oa", "https://mp.weixin.qq.com/s?__biz="),
        ("weibo", "https://weibo.com/"),
        ("douyin", "https://www.douyin.com/video/"),
        ("website", "https://"),
    ]:
        urls = Post.objects.filter(platform=platform).values_list("url", flat=True)
        assert all(url.startswith(prefix) for url in urls), platform
    ids = Post.objects.filter(platform="wechat_oa").values_list("external_id", "position")
    assert all(external.endswith(f"_{position}") for external, position in ids[:500])


def test_generation_is_deterministic(demo, posts):
    wipe_posts()
    generate_demo_posts(end=END)
    assert fingerprint() == demo["fingerprint"]
    wipe_posts()
    generate_demo_posts(end=END, days=7)
    week = fingerprint()
    wipe_posts()
    generate_demo_posts(end=END, days=7, seed=7)
    assert fingerprint() != week


def test_refuses_twice_and_needs_an_aware_end(posts):
    with pytest.raises(DemoError):
        generate_demo_posts(end=END)
    wipe_posts()
    with pytest.raises(DemoError):
        generate_demo_posts(end=datetime(2026, 1, 1))
    with pytest.raises(DemoError):
        generate_demo_posts(end=END, days=0)
    with pytest.raises(DemoError):
        generate_demo_posts(end=timezone.now() + timedelta(days=1))


def test_the_demo_command_creates_the_city_and_its_posts(db, capsys):
    if Unit.objects.exists():
        wipe_all()
    call_command("demo", "--no-serve", "--days", "7")
    assert Unit.objects.exists() and Account.objects.count() > 200
    today = window_end()
    assert Post.objects.filter(published_at__gt=today - timedelta(days=7)).count() > 1000
    assert not Post.objects.filter(published_at__lte=today - timedelta(days=7)).exists()
    assert not Post.objects.filter(published_at__gt=timezone.now()).exists()
    assert "稿件" in capsys.readouterr().out


def test_an_older_demo_database_gets_its_posts(db):
    if Unit.objects.exists():
        wipe_all()
    call_command("generate_demo", "--no-posts", "--no-progress")
    assert Unit.objects.exists() and not Post.objects.exists()
    call_command("demo", "--no-serve", "--days", "2")
    count = Post.objects.count()
    assert count > 100
    call_command("demo", "--no-serve", "--days", "2")
    assert Post.objects.count() == count
