"""A county admin opens the inspection-health page: the chart draws, the dormant list names
their silent account with the day it became dormant."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AccountFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_admin_sees_the_chart_and_the_dormant_list(page, live_server, world, login):
    now = timezone.now()
    world.account_a.last_post_at = now - timedelta(days=1)
    world.account_a.save()
    silent = AccountFactory(
        owner=world.town_a, name="东湖街道发布", last_post_at=now - timedelta(days=30)
    )
    AccountFactory(owner=world.county_b, name="西山文旅", last_post_at=now - timedelta(days=30))
    login(world.user(world.county_a, "admin").username)
    page.goto(f"{live_server.url}{reverse('indices:health')}")
    page.wait_for_selector("#health-chart[data-rendered=true] canvas")
    dormant = page.locator("#list-dormant")
    since = timezone.localtime(silent.last_post_at).date() + timedelta(days=14)
    row = dormant.locator("tr", has_text="东湖街道发布")
    assert row.count() == 1
    assert since.isoformat() in row.inner_text()
    assert "西山文旅" not in page.inner_text("main")
    assert page.inner_text("#tile-dormant") == "1"
    row.locator("a", has_text="东湖街道发布").click()
    page.wait_for_url(f"**{silent.get_absolute_url()}")
