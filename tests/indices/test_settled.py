"""Settled metrics are kept in step as ingestion writes snapshots, and rankings read them."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mediamatrix.engines.indices import parse_period
from mediamatrix.indices.models import IndexScore, SettledMetrics
from mediamatrix.indices.services import scores_compute
from mediamatrix.indices.settled import settled_refresh
from mediamatrix.ingestion.models import Post
from mediamatrix.ingestion.records import Metrics, PostRecord
from mediamatrix.ingestion.services import posts_upsert
from mediamatrix.orgs.models import Account

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
PUBLISHED = datetime(2026, 10, 10, 9, tzinfo=TZ)


def _read(world, reads: int, days_after: int, likes: int = 0):
    record = PostRecord(
        account_id=world.account_a.pk,
        external_id="settled-1",
        title="稿件",
        published_at=PUBLISHED,
        metrics=Metrics(reads=reads, likes=likes),
        captured_at=PUBLISHED + timedelta(days=days_after),
    )
    posts_upsert(actor=None, records=[record], source="test")


def _settled(days: int) -> int:
    row = SettledMetrics.objects.get(post__external_id="settled-1", settle_days=days)
    return row.reads


def test_ingestion_keeps_the_settled_figures_for_every_settle_day_count(world):
    _read(world, 100, days_after=1)
    assert (_settled(2), _settled(7)) == (100, 100)  # the latest so far, for both
    _read(world, 300, days_after=5)
    assert (_settled(2), _settled(7)) == (100, 300)  # day 5 is past day 2's cutoff
    _read(world, 900, days_after=20)
    assert (_settled(2), _settled(7)) == (100, 300)  # later growth does not move them
    assert Post.objects.get(external_id="settled-1").reads == 900  # the post shows the latest


def test_a_month_ranks_on_day_seven_figures_and_a_full_refresh_agrees(world):
    # Registered before the month, so the month ranks it.
    Account.objects.filter(pk=world.account_a.pk).update(created_at=PUBLISHED - timedelta(days=90))
    _read(world, 300, days_after=5)
    _read(world, 900, days_after=20)
    october = parse_period("month:2026-10")
    scores_compute(period=october)
    row = IndexScore.objects.get(account=world.account_a, formula="wci-v14.2")
    assert row.inputs["R"] == 300
    before = list(SettledMetrics.objects.values_list("post_id", "settle_days", "reads"))
    settled_refresh()
    assert sorted(before) == sorted(
        SettledMetrics.objects.values_list("post_id", "settle_days", "reads")
    )
