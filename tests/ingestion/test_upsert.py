"""The shared write path: idempotent upserts, metric snapshots only on change, scoping."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mediamatrix.ingestion.models import MetricSnapshot, Post
from mediamatrix.ingestion.records import Metrics, PostRecord
from mediamatrix.ingestion.services import posts_upsert, source_backoff

PUBLISHED = timezone.now().replace(microsecond=0) - timedelta(days=1)


def record(account, external_id="a1", **overrides):
    values = {
        "account_id": account.pk,
        "external_id": external_id,
        "title": "东湖区召开防汛工作会议",
        "published_at": PUBLISHED,
        "url": "https://mp.weixin.qq.com/s/abc",
        "body_html": "<p>会议要求，各街道<b>立即</b>落实。</p>",
        "metrics": Metrics(reads=1200, likes=30, wows=5),
    }
    values.update(overrides)
    return PostRecord(**values)


def test_upsert_is_idempotent_and_snapshots_only_changes(world):
    first = posts_upsert(actor=None, records=[record(world.account_a)], source="test")
    assert [i.status for i in first.items] == ["created"]
    post = Post.objects.get()
    assert post.reads == 1200 and post.body_text == "会议要求，各街道立即落实。"
    assert post.owner_path == world.account_a.owner_path and post.platform == "wechat_oa"
    again = posts_upsert(actor=None, records=[record(world.account_a)], source="test")
    assert [i.status for i in again.items] == ["unchanged"]
    assert MetricSnapshot.objects.count() == 1
    moved = posts_upsert(
        actor=None,
        records=[record(world.account_a, metrics=Metrics(reads=2500, likes=40))],
        source="test",
    )
    assert [i.status for i in moved.items] == ["updated"]
    post.refresh_from_db()
    assert post.reads == 2500 and MetricSnapshot.objects.count() == 2
    world.account_a.refresh_from_db()
    assert world.account_a.last_post_at == post.published_at


def test_older_metrics_do_not_overwrite_newer(world):
    now = timezone.now()
    posts_upsert(
        actor=None,
        records=[record(world.account_a, metrics=Metrics(reads=900), captured_at=now)],
        source="t",
    )
    posts_upsert(
        actor=None,
        records=[
            record(world.account_a, metrics=Metrics(reads=100), captured_at=now - timedelta(days=2))
        ],
        source="t",
    )
    assert Post.objects.get().reads == 900


def test_bad_items_are_rejected_with_reasons_and_others_written(world):
    result = posts_upsert(
        actor=None,
        records=[
            record(world.account_a, "ok"),
            record(
                world.account_a, "future", published_at=timezone.now() + timedelta(days=3), origin=2
            ),
            record(world.account_a, "neg", metrics=Metrics(reads=-1), origin=3),
            record(world.account_a, "ok", origin=4),
            record(world.account_a, "", origin=5),
        ],
        source="t",
    )
    statuses = [i.status for i in result.items]
    assert statuses == ["created", "rejected", "rejected", "rejected", "rejected"]
    fields = {e.origin: {f.field for f in e.errors} for e in result.rejected}
    assert fields == {2: {"published_at"}, 3: {"reads"}, 4: {"external_id"}, 5: {"external_id"}}
    assert Post.objects.count() == 1


@pytest.mark.parametrize("role", ["viewer", "reviewer", "operator"])
def test_roles_without_import_cannot_write(world, role):
    user = world.user(world.county_a, role)
    result = posts_upsert(actor=user, records=[record(world.account_a)], source="t")
    assert result.items[0].status == "rejected" and not Post.objects.exists()


def test_editors_write_only_their_county(world):
    editor = world.user(world.county_a, "editor")
    result = posts_upsert(
        actor=editor,
        records=[record(world.account_a, "x"), record(world.account_b, "y")],
        source="t",
    )
    assert [i.status for i in result.items] == ["created", "rejected"]
    assert result.rejected[0].errors[0].field == "account"


def test_dry_run_writes_nothing(world):
    result = posts_upsert(actor=None, records=[record(world.account_a)], source="t", write=False)
    assert result.items[0].status == "created" and not Post.objects.exists()


def test_backoff_grows_and_caps():
    assert source_backoff(1) == timedelta(minutes=5)
    assert source_backoff(3) == timedelta(minutes=20)
    assert source_backoff(50) == timedelta(hours=6)


def test_over_long_fields_and_future_capture_are_field_errors(world):
    result = posts_upsert(
        actor=None,
        records=[
            record(
                world.account_a, "long", author="作" * 129, declared_source="源" * 201, origin=1
            ),
            record(world.account_a, "url", url="https://example.org/" + "a" * 1000, origin=2),
            record(
                world.account_a,
                "cap",
                captured_at=timezone.now() + timedelta(days=1),
                origin=3,
            ),
        ],
        source="t",
    )
    fields = {e.origin: {f.field for f in e.errors} for e in result.rejected}
    assert fields == {1: {"author", "declared_source"}, 2: {"url"}, 3: {"captured_at"}}
    assert not Post.objects.exists()


def test_an_unexpected_pull_failure_closes_the_run_and_backs_off(world):
    from mediamatrix.ingestion import connectors
    from mediamatrix.ingestion.models import Source
    from mediamatrix.ingestion.services import source_pull

    def broken(source):
        raise RuntimeError("secret-in-message")

    connectors.register(
        connectors.Connector(name="broken-test", label="x", kind="pull", pull=broken)
    )
    source = Source.objects.create(
        connector="broken-test",
        account=world.account_a,
        owner_path=world.account_a.owner_path,
        name="b",
    )
    run = source_pull(source=source)
    source.refresh_from_db()
    assert run.status == "failed" and "RuntimeError" in run.message
    assert "secret-in-message" not in run.message and "secret-in-message" not in source.last_error
    assert source.status == "error" and source.consecutive_failures == 1
    assert source.next_pull_at > timezone.now()


def test_posts_follow_their_unit_when_it_moves(world):
    from mediamatrix.orgs.services import unit_move

    account = world.account_a.__class__.objects.create(
        platform="weibo",
        handle="town_weibo",
        name="街道微博",
        category="government",
        owner=world.town_a,
        owner_path=world.town_a.path,
    )
    post_id = posts_upsert(actor=None, records=[record(account, "m1")], source="t").items[0].post_id
    unit_move(actor=None, unit=world.town_a, new_parent=world.county_b, reason="区划调整")
    world.town_a.refresh_from_db()
    assert Post.objects.get(pk=post_id).owner_path == world.town_a.path
    from mediamatrix.ingestion.selectors import post_list

    assert post_list(world.user(world.county_b, "viewer")).filter(pk=post_id).exists()
    assert not post_list(world.user(world.county_a, "viewer")).filter(pk=post_id).exists()
