"""A village operator reads the inbox on a phone-sized screen and opens a notice."""

import pytest

from mediamatrix.notices.services import notify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_village_operator_reads_the_inbox_on_a_phone(phone, live_server, world):
    operator = world.user(world.village_a, "operator")
    notify(
        unit=world.village_a,
        subject="【宣传任务】请转发暴雨红色预警，并在今晚八点前反馈转发情况到平台上的任务页面",
        body="临江市气象台发布暴雨红色预警。请各网格员立即转发到网格群，提醒居民减少外出。",
        link=f"/units/{world.village_a.pk}/",
        verb="test.task",
    )
    notify(unit=world.village_b, subject="西山村的通知", body="", verb="test.task")

    phone.goto(f"{live_server.url}/login/")
    phone.fill("#id_username", operator.username)
    phone.fill("#id_password", "pass-12345")
    phone.click("button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/units/")
    phone.goto(f"{live_server.url}/notices/")

    items = phone.locator("#notice-list li.notice")
    assert items.count() == 1
    assert "西山村" not in phone.inner_text("#notice-list")
    unread = phone.locator("#notice-list li.notice.unread")
    assert unread.count() == 1
    # The long subject wraps inside the screen: nothing scrolls sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = phone.locator(".notice-subject").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["height"] >= 40  # a comfortable tap target (the subject wraps to two lines)

    phone.tap(".notice-subject")
    phone.wait_for_url(f"{live_server.url}/units/{world.village_a.pk}/")
    assert "东湖社区" in phone.inner_text("h1")

    phone.goto(f"{live_server.url}/notices/")
    assert phone.locator("#notice-list li.notice.unread").count() == 0
    assert phone.locator("#notice-unread-total").count() == 0
