"""The unit's channel settings: who may open them, adding, the test button, switching off."""

import pytest
from django.urls import reverse

from mediamatrix.core.models import AuditEvent
from mediamatrix.notices.models import ChannelConfig, Delivery
from mediamatrix.notices.services import notify
from tests.notices.bots import WECOM_KEY
from tests.notices.conftest import channel

pytestmark = pytest.mark.django_db

CHANNELS = reverse("notices:channels")
SECRET = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"


def test_who_may_open_the_channel_settings(client, world):
    client.force_login(world.user(world.village_a, "operator"))
    assert client.get(CHANNELS).status_code == 403  # administers no unit
    assert client.get(CHANNELS, {"unit": world.village_a.pk}).status_code == 403  # sees it only

    client.force_login(world.user(world.county_a, "admin"))
    assert client.get(CHANNELS, {"unit": world.county_b.pk}).status_code == 404  # out of sight
    assert client.get(CHANNELS, {"unit": "x"}).status_code == 404
    response = client.get(CHANNELS)
    assert response.status_code == 200 and response.context["unit"] == world.county_a
    assert client.get(CHANNELS, {"unit": world.village_a.pk}).context["unit"] == world.village_a


def test_an_admin_adds_a_webhook_whose_key_and_secret_are_never_shown(client, world, bot):
    dingtalk = bot("dingtalk", secret=SECRET)
    client.force_login(world.user(world.county_a, "admin"))

    response = client.post(
        CHANNELS,
        {
            "unit": world.county_a.pk,
            "channel": "dingtalk",
            "name": "区网信办值班群",
            "target": dingtalk.url,
            "secret": SECRET,
            "include_subtree": "on",
        },
    )

    assert response.status_code == 302
    config = ChannelConfig.objects.get()
    assert (config.unit, config.channel, config.secret, config.include_subtree) == (
        world.county_a,
        "dingtalk",
        SECRET,
        True,
    )
    page = client.get(response["Location"]).content.decode()
    assert "区网信办值班群" in page and "/robot/send?…" in page
    assert SECRET not in page and "access_token" not in page
    event = AuditEvent.objects.get(verb="notice_channel.create")
    assert SECRET not in str(event.after) and event.after["signed"] is True


def test_a_bad_address_is_refused_on_the_form(client, world):
    client.force_login(world.user(world.county_a, "admin"))
    for name, target in (("email", "不是邮箱"), ("wecom", "ftp://example.org/hook")):
        response = client.post(CHANNELS, {"channel": name, "target": target})
        assert response.status_code == 200 and response.context["form"].errors["target"]
    assert not ChannelConfig.objects.exists()


def test_only_admins_of_the_unit_may_post(client, world):
    client.force_login(world.user(world.county_a, "editor"))
    response = client.post(
        CHANNELS, {"unit": world.county_a.pk, "channel": "email", "target": "a@example.org"}
    )
    assert response.status_code == 403 and not ChannelConfig.objects.exists()


def test_the_test_button_sends_through_the_config_and_shows_the_result(client, world, bot):
    wecom = bot("wecom")
    config = channel(world.county_a, "wecom", wecom.url)
    client.force_login(world.user(world.county_a, "admin"))

    response = client.post(reverse("notices:channel-test", args=[config.pk]), follow=True)

    page = response.content.decode()
    assert "测试消息已发送" in page
    [body] = wecom.bodies
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["content"].startswith(
        "**【测试】通知通道测试消息**\n这是东湖区在通知设置页面"
    )
    config.refresh_from_db()
    assert config.last_ok_at is not None
    assert AuditEvent.objects.get(verb="notice_channel.test").after == {"ok": True}

    wecom.fail(answer={"errcode": 93000, "errmsg": "invalid webhook url"})
    page = client.post(reverse("notices:channel-test", args=[config.pk]), follow=True)
    assert "测试消息发送失败：机器人返回错误 93000：invalid webhook url" in page.content.decode()
    assert WECOM_KEY not in page.content.decode()


def test_a_non_admin_cannot_test_or_switch_a_channel(client, world):
    config = channel(world.county_a, "email", "qu@example.org")
    client.force_login(world.user(world.county_a, "viewer"))
    assert client.post(reverse("notices:channel-test", args=[config.pk])).status_code == 403
    assert client.post(reverse("notices:channel-enable", args=[config.pk])).status_code == 403
    client.force_login(world.user(world.county_b, "admin"))
    assert client.post(reverse("notices:channel-test", args=[config.pk])).status_code == 404


def test_switching_off_stops_the_waiting_deliveries(client, world, mailoutbox):
    config = channel(world.county_a, "email", "qu@example.org")
    notice = notify(unit=world.county_a, subject="通知", body="", verb="t")
    client.force_login(world.user(world.city, "admin"))

    client.post(reverse("notices:channel-enable", args=[config.pk]), {"enabled": "0"})

    config.refresh_from_db()
    assert not config.enabled
    delivery = Delivery.objects.get(notice=notice)
    assert delivery.status == "gave_up" and delivery.next_attempt_at is None
    assert not notify(unit=world.county_a, subject="二", body="", verb="t").deliveries.exists()

    client.post(reverse("notices:channel-enable", args=[config.pk]), {"enabled": "1"})
    config.refresh_from_db()
    assert config.enabled
    assert [e.verb for e in AuditEvent.objects.filter(verb__startswith="notice_channel.")] == [
        "notice_channel.enable",
        "notice_channel.disable",
    ]
