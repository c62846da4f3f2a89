"""Each channel against a local endpoint: the exact message, the signatures, failures."""

import socket

import pytest

from mediamatrix.notices.models import Notice
from mediamatrix.notices.services import deliveries_send, notify
from tests.notices.bots import (
    DINGTALK_TOKEN,
    WECOM_KEY,
    expected_dingtalk_sign,
    expected_feishu_sign,
)
from tests.notices.conftest import channel

pytestmark = pytest.mark.django_db

SITE = "https://mm.linjiang.gov.cn"
SECRET = "SECb1f0c9e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1"
BODY = "账号：东湖发布\n处理决定：责令更正"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.MEDIAMATRIX_SITE_URL = SITE + "/"


def send(world, config, *, link="/review/decisions/7/"):
    notice = notify(
        unit=world.village_a,
        subject="【内容审核】《标题》：责令更正",
        body=BODY,
        link=link,
        verb="t",
    )
    outcome = deliveries_send(notice.deliveries.values_list("pk", flat=True))
    return notice, notice.deliveries.get(config=config), outcome


def test_wecom_sends_markdown_with_an_absolute_link(world, bot):
    wecom = bot("wecom")
    config = channel(world.village_a, "wecom", wecom.url)

    _, delivery, outcome = send(world, config)

    assert outcome == {"sent": 1}
    [(args, _, body)] = wecom.requests
    assert args == {"key": WECOM_KEY}
    assert body == {
        "msgtype": "markdown",
        "markdown": {
            "content": "**【内容审核】《标题》：责令更正**\n"
            "账号：东湖发布\n处理决定：责令更正\n"
            f"[查看详情]({SITE}/review/decisions/7/)"
        },
    }
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.last_error == ""


def test_wecom_content_is_cut_to_its_limit_and_keeps_the_link(world, bot):
    wecom = bot("wecom")
    config = channel(world.village_a, "wecom", wecom.url)
    notify(unit=world.village_a, subject="长通知", body="很长的内容。" * 1000, verb="t")
    notice = Notice.objects.get()

    assert deliveries_send([notice.deliveries.get(config=config).pk]) == {"sent": 1}
    content = wecom.bodies[0]["markdown"]["content"]
    assert len(content.encode()) <= 4096
    assert content.endswith(f"[查看详情]({SITE}/notices/{notice.pk}/)")  # no link: the inbox's


def test_wecom_error_code_is_a_failure_with_the_platforms_message(world, bot):
    wecom = bot("wecom")
    config = channel(world.village_a, "wecom", wecom.url.replace(WECOM_KEY, "wrong-key"))

    _, delivery, outcome = send(world, config)

    assert outcome == {"failed": 1}
    delivery.refresh_from_db()
    assert "93000" in delivery.last_error and "invalid webhook url" in delivery.last_error
    assert "wrong-key" not in delivery.last_error  # the address carries the key
    config.refresh_from_db()
    assert config.last_error == delivery.last_error and config.last_failed_at is not None


def test_dingtalk_unsigned_markdown(world, bot):
    dingtalk = bot("dingtalk")
    config = channel(world.village_a, "dingtalk", dingtalk.url)

    _, _, outcome = send(world, config)

    assert outcome == {"sent": 1}
    [(args, _, body)] = dingtalk.requests
    assert args == {"access_token": DINGTALK_TOKEN}
    assert body == {
        "msgtype": "markdown",
        "markdown": {
            "title": "【内容审核】《标题》：责令更正",
            "text": "#### 【内容审核】《标题》：责令更正  \n账号：东湖发布  \n处理决定：责令更正"
            f"  \n\n[查看详情]({SITE}/review/decisions/7/)",
        },
    }


def test_dingtalk_signed_request_carries_timestamp_and_sign_in_the_query(world, bot):
    dingtalk = bot("dingtalk", secret=SECRET)
    config = channel(world.village_a, "dingtalk", dingtalk.url, secret=SECRET)

    _, _, outcome = send(world, config)

    assert outcome == {"sent": 1}
    [(args, query, _)] = dingtalk.requests
    assert set(args) == {"access_token", "timestamp", "sign"}
    assert len(args["timestamp"]) == 13  # milliseconds
    assert args["sign"] == expected_dingtalk_sign(SECRET, args["timestamp"])
    # The base64 signature travels URL-encoded: no raw '+', '/' or '=' in the query string.
    raw_sign = query.split("sign=", 1)[1]
    assert not set(raw_sign) & set("+/=")


def test_dingtalk_wrong_secret_fails_with_the_platforms_message(world, bot):
    dingtalk = bot("dingtalk", secret=SECRET)
    config = channel(world.village_a, "dingtalk", dingtalk.url, secret="SECwrong")

    _, delivery, outcome = send(world, config)

    assert outcome == {"failed": 1}
    delivery.refresh_from_db()
    assert "310000" in delivery.last_error and "sign not match" in delivery.last_error


def test_feishu_signed_text_message(world, bot):
    feishu = bot("feishu", secret=SECRET)
    config = channel(world.village_a, "feishu", feishu.url, secret=SECRET)

    _, _, outcome = send(world, config)

    assert outcome == {"sent": 1}
    [(args, _, body)] = feishu.requests
    assert args == {}
    timestamp = body["timestamp"]
    assert len(timestamp) == 10  # seconds
    assert body == {
        "timestamp": timestamp,
        "sign": expected_feishu_sign(SECRET, timestamp),
        "msg_type": "text",
        "content": {
            "text": "【内容审核】《标题》：责令更正\n\n账号：东湖发布\n处理决定：责令更正\n\n"
            f"查看详情：{SITE}/review/decisions/7/"
        },
    }


def test_feishu_unsigned_and_the_older_answer_format(world, bot):
    feishu = bot("feishu", legacy=True)
    config = channel(world.village_a, "feishu", feishu.url)

    _, _, outcome = send(world, config)

    assert outcome == {"sent": 1}
    assert set(feishu.bodies[0]) == {"msg_type", "content"}


def test_feishu_wrong_signature_and_http_errors_are_failures(world, bot):
    feishu = bot("feishu", secret=SECRET)
    config = channel(world.village_a, "feishu", feishu.url, secret="other")
    _, delivery, _ = send(world, config)
    delivery.refresh_from_db()
    assert "19021" in delivery.last_error and "sign match fail" in delivery.last_error

    feishu.fail(answer="<html>Bad Gateway</html>", status=502)
    _, delivery, _ = send(world, config)
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "HTTP 502" in delivery.last_error


def test_an_unreachable_webhook_is_a_failure(world):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = channel(
        world.village_a, "wecom", f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key=k"
    )

    _, delivery, outcome = send(world, config)

    assert outcome == {"failed": 1}
    delivery.refresh_from_db()
    assert "ConnectError" in delivery.last_error and "key=k" not in delivery.last_error


def test_email_goes_through_djangos_mailer(world, mailoutbox):
    config = channel(world.village_a, "email", "cun@example.org, shuji@example.org")

    _, _, outcome = send(world, config)

    assert outcome == {"sent": 1}
    [message] = mailoutbox
    assert message.subject == "【内容审核】《标题》：责令更正"
    assert message.to == ["cun@example.org", "shuji@example.org"]
    assert message.body == (
        f"【内容审核】《标题》：责令更正\n\n{BODY}\n\n查看详情：{SITE}/review/decisions/7/"
    )


def test_email_server_down_is_a_failure(world, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    config = channel(world.village_a, "email", "cun@example.org")

    _, delivery, outcome = send(world, config)

    assert outcome == {"failed": 1}
    delivery.refresh_from_db()
    assert "ConnectionRefusedError" in delivery.last_error
