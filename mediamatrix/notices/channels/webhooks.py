"""Group chat bots: WeCom (企业微信), DingTalk (钉钉) and Feishu (飞书) custom-bot webhooks.

Written from each platform's published bot documentation: the message body each expects, the
signing scheme of DingTalk and Feishu (HMAC-SHA256, base64), and the answer that means success
(`errcode` 0, `code` 0, or Feishu's older `StatusCode` 0). Anything else is a failure whose
message is the platform's own. Webhook addresses carry the bot's key, so no error message
repeats the address.
"""

import base64
import hashlib
import hmac
import time
from typing import Any
from urllib.parse import quote_plus

import httpx
from django.conf import settings
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mediamatrix.notices.channels.base import (
    Channel,
    ChannelError,
    notice_url,
    register_channel,
)

_url = URLValidator(schemes=["http", "https"])


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk: HMAC-SHA256 keyed by the secret over "timestamp\\nsecret", base64, URL-encoded."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return quote_plus(base64.b64encode(digest).decode())


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu: HMAC-SHA256 keyed by "timestamp\\nsecret" over an empty message, base64."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def clip_bytes(text: str, limit: int) -> str:
    """At most `limit` bytes of UTF-8, cut on a character boundary, marked with an ellipsis."""
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode(errors="ignore") + "…"


def post_json(url: str, payload: dict[str, Any]) -> dict[str, Any]:
    """POST the payload; the JSON answer, or ChannelError saying what went wrong."""
    timeout = settings.MEDIAMATRIX_NOTICE_HTTP_TIMEOUT
    try:
        response = httpx.post(url, json=payload, timeout=timeout)
    except httpx.TimeoutException:
        raise ChannelError(
            _("连接超时（%(seconds)d 秒内没有响应）。") % {"seconds": timeout}
        ) from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol):
        raise ChannelError(_("Webhook 地址无效。")) from None
    except httpx.HTTPError as error:
        raise ChannelError(
            _("无法连接机器人服务（%(kind)s）。") % {"kind": type(error).__name__}
        ) from None
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise ChannelError(_("机器人服务返回 HTTP %(status)d。") % {"status": response.status_code})
    if response.status_code >= 400 and not _has_code(answer):
        raise ChannelError(_("机器人服务返回 HTTP %(status)d。") % {"status": response.status_code})
    return answer


def _has_code(answer: dict[str, Any]) -> bool:
    return any(key in answer for key in ("errcode", "code", "StatusCode"))


def _fail(code: Any, message: Any) -> ChannelError:
    return ChannelError(
        _("机器人返回错误 %(code)s：%(message)s") % {"code": code, "message": message}
    )


class WebhookChannel(Channel):
    target_label = gettext_lazy("Webhook 地址")

    def clean_target(self, target: str) -> str:
        target = target.strip()
        _url(target)
        return target


@register_channel("wecom")
class WeComChannel(WebhookChannel):
    """WeCom group bot: a markdown message; the answer is {"errcode": 0, "errmsg": "ok"}."""

    label = gettext_lazy("企业微信群机器人")
    target_help = gettext_lazy("群机器人的 Webhook 地址（含 key 参数）。")
    CONTENT_LIMIT = 4096  # bytes of markdown content

    def payload(self, notice: Any) -> dict[str, Any]:
        lines = [f"**{notice.subject}**"]
        if notice.body:
            lines.append(notice.body)
        lines.append(f"[{_('查看详情')}]({notice_url(notice)})")
        content = "\n".join(lines)
        if len(content.encode()) > self.CONTENT_LIMIT:
            link = f"\n[{_('查看详情')}]({notice_url(notice)})"
            head = clip_bytes("\n".join(lines[:-1]), self.CONTENT_LIMIT - len(link.encode()))
            content = head + link
        return {"msgtype": "markdown", "markdown": {"content": content}}

    def send(self, notice: Any, config: Any) -> None:
        answer = post_json(config.target, self.payload(notice))
        if answer.get("errcode") != 0:
            raise _fail(answer.get("errcode"), answer.get("errmsg", ""))


@register_channel("dingtalk")
class DingTalkChannel(WebhookChannel):
    """DingTalk custom robot: markdown, optionally signed with `timestamp` and `sign` in the URL."""

    label = gettext_lazy("钉钉群机器人")
    target_help = gettext_lazy("自定义机器人的 Webhook 地址（含 access_token 参数）。")
    uses_secret = True
    TEXT_LIMIT = 18000

    def payload(self, notice: Any) -> dict[str, Any]:
        # DingTalk's markdown breaks a line only on two trailing spaces or an empty line.
        lines = [f"#### {notice.subject}"]
        if notice.body:
            lines.extend(notice.body.splitlines())
        text = clip_bytes("  \n".join(lines), self.TEXT_LIMIT)
        text += f"  \n\n[{_('查看详情')}]({notice_url(notice)})"
        return {"msgtype": "markdown", "markdown": {"title": notice.subject, "text": text}}

    def url(self, config: Any, timestamp_ms: int) -> str:
        if not config.secret:
            return str(config.target)
        separator = "&" if "?" in config.target else "?"
        sign = dingtalk_sign(config.secret, timestamp_ms)
        return f"{config.target}{separator}timestamp={timestamp_ms}&sign={sign}"

    def send(self, notice: Any, config: Any) -> None:
        url = self.url(config, int(time.time() * 1000))
        answer = post_json(url, self.payload(notice))
        if answer.get("errcode") != 0:
            raise _fail(answer.get("errcode"), answer.get("errmsg", ""))


@register_channel("feishu")
class FeishuChannel(WebhookChannel):
    """Feishu custom bot: a text message, optionally signed with `timestamp` and `sign` fields."""

    label = gettext_lazy("飞书群机器人")
    target_help = gettext_lazy("自定义机器人的 Webhook 地址。")
    uses_secret = True
    TEXT_LIMIT = 18000

    def payload(self, notice: Any, config: Any, timestamp_s: int) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if config.secret:
            body["timestamp"] = str(timestamp_s)
            body["sign"] = feishu_sign(config.secret, timestamp_s)
        text = clip_bytes("\n\n".join(filter(None, [notice.subject, notice.body])), self.TEXT_LIMIT)
        body["msg_type"] = "text"
        body["content"] = {"text": f"{text}\n\n{_('查看详情：')}{notice_url(notice)}"}
        return body

    def send(self, notice: Any, config: Any) -> None:
        answer = post_json(config.target, self.payload(notice, config, int(time.time())))
        if "code" in answer:
            if answer["code"] != 0:
                raise _fail(answer["code"], answer.get("msg", ""))
        elif answer.get("StatusCode") != 0:
            raise _fail(answer.get("StatusCode"), answer.get("StatusMessage", ""))
