"""A person's path through the registry, clicked in a real headless Chromium."""

import pytest

from mediamatrix.orgs.models import Account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_browse_tree_and_create_account(page, live_server, world, login):
    editor = world.user(world.county_a, "editor")
    login(editor.username)

    # The tree starts at the user's county, with counts, and expands lazily (htmx).
    tree = page.locator("#unit-tree")
    assert "东湖区" in tree.inner_text() and "西山县" not in tree.inner_text()
    page.click("#unit-tree summary:has-text('东湖区')")
    page.wait_for_selector("#unit-tree a:has-text('东湖街道')")

    # Open the township and register an account there.
    page.click("#unit-tree a:has-text('东湖街道')")
    page.wait_for_selector("h1:has-text('东湖街道')")
    page.click("text=登记账号")
    page.select_option("#id_platform", "weibo")
    page.fill("#id_handle", "donghu_street_weibo")
    page.fill("#id_name", "东湖街道微博")
    page.select_option("#id_category", "government")
    page.fill("#id_followers", "3500")
    page.click("button:has-text('保存')")
    page.wait_for_selector("h1:has-text('东湖街道微博')")
    assert "待备案" in page.inner_text("h1")
    account = Account.objects.get(handle="donghu_street_weibo")
    assert account.owner == world.town_a

    # The new account appears in the filtered list.
    page.goto(f"{live_server.url}/accounts/?platform=weibo")
    assert "东湖街道微博" in page.inner_text("table")


def test_other_county_account_is_404(page, live_server, world, login):
    login(world.user(world.county_a, "viewer").username)
    response = page.goto(f"{live_server.url}/accounts/{world.account_b.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/accounts/{world.account_a.pk}/")
    assert response.status == 200 and "东湖发布" in page.inner_text("h1")


def test_english_interface(page, live_server, world, login):
    login(world.user(world.county_a, "viewer").username)
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    nav = page.inner_text("nav.mainnav")
    assert "Units" in nav and "Accounts" in nav and "Grid groups" in nav
    assert "单位" not in nav and "账号" not in nav
