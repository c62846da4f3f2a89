"""Rankings in a real browser: filters, the ECharts charts, and the drill-down from a value."""

import pytest

from tests.indices.test_rankings import OCT, stored
from tests.indices.test_rankings import city as city  # the fixture (re-exported by name)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rankings_filters_charts_and_drill_down(page, live_server, login, city, world):
    login(world.user(world.city, "admin").username)
    page.goto(f"{live_server.url}/indices/rankings/?kind=month&month=2026-09")
    assert "2026年9月" in page.inner_text("h1")
    # The month picker is the one shown for monthly periods; the custom dates are hidden.
    assert page.is_visible("input[name=month]") and not page.is_visible("input[name=start]")
    page.fill("input[name=month]", "2026-10")
    page.select_option("select[name=board]", "forces")
    assert page.is_hidden("select[name=quarter]")
    page.click("#ranking-filters button[type=submit]")
    page.wait_for_url("**board=forces**")
    assert "四力综合指数 · 2026年10月" in page.inner_text("h1")
    page.wait_for_selector("#ranking-top-chart[data-rendered=true] canvas")
    page.wait_for_selector("#ranking-histogram[data-rendered=true] canvas")
    assert page.locator("#ranking-table tbody tr").count() == 6

    page.select_option("select[name=board]", "platform")
    page.click("#ranking-filters button[type=submit]")
    page.wait_for_selector("#ranking-top-chart[data-rendered=true] canvas")
    first = page.locator("#ranking-table tbody tr").first
    assert "东湖发布" in first.inner_text()
    first.locator("a.score-link").click()
    score = stored(OCT, city.a)
    page.wait_for_url(f"**/indices/scores/{score.pk}/")
    assert "可复现 ✓" in page.inner_text("#score-reproduced")
    assert "总阅读数" in page.inner_text("#score-inputs")
    assert page.locator("#score-posts tbody a").count() == 8
    page.wait_for_selector("#score-trend[data-rendered=true] canvas")
    page.locator("#score-posts tbody a").first.click()
    page.wait_for_url("**/posts/*/")
    assert "东湖发布" in page.inner_text("main")
