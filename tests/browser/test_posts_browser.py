"""The post page draws its metric history with the locally served ECharts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mediamatrix.ingestion.records import Metrics, PostRecord
from mediamatrix.ingestion.services import posts_upsert

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_post_detail_draws_the_metric_chart(page, live_server, world, login):
    now = timezone.now().replace(microsecond=0)
    for day, reads in ((3, 200), (2, 800), (1, 1300)):
        result = posts_upsert(
            actor=None,
            records=[
                PostRecord(
                    account_id=world.account_a.pk,
                    external_id="chart",
                    title="东湖区发布暴雨预警",
                    published_at=now - timedelta(days=4),
                    metrics=Metrics(reads=reads, likes=reads // 40, shares=reads // 100),
                    captured_at=now - timedelta(days=day),
                )
            ],
            source="test",
        )
    post_id = result.items[0].post_id
    login(world.user(world.county_a, "viewer").username)
    page.click("nav.mainnav a:has-text('稿件')")
    page.click("#post-table a:has-text('东湖区发布暴雨预警')")
    page.wait_for_url(f"**/posts/{post_id}/")
    page.wait_for_selector("#metric-chart[data-rendered=true] canvas")
    assert "1,300" in page.inner_text(".stats") or "1300" in page.inner_text(".stats")
