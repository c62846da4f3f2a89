"""WeChat error codes and what a person should do about each, as `PullError` messages.

The platform answers HTTP 200 with `{"errcode": N, "errmsg": "..."}` for every failure. Codes that
a retry can fix (system busy, minute quota, daily quota) make retryable errors; codes that need a
person (wrong AppID or AppSecret, IP whitelist, missing permission) do not, so the source waits a
day instead of hammering the API.
"""

import re
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mediamatrix.ingestion.connectors import PullError

# The access token was refused: refresh it once and repeat the call.
INVALID_TOKEN = frozenset({40001, 40014, 42001})
# Transient: retried with exponential backoff inside the same pull.
RETRY_IN_PULL = frozenset({-1, 45011})
# The account lacks the permission (an unverified account has no statistics API).
UNAUTHORIZED = frozenset({48001, 50001})

SYSTEM_BUSY = -1
IP_NOT_WHITELISTED = 40164
MASK = "***"

# errcode → (what to do, whether a later automatic retry can succeed)
MEANINGS = {
    -1: (gettext_lazy("微信接口系统繁忙，多次重试后仍未成功，稍后会自动重试。"), True),
    40001: (gettext_lazy("access_token 无效，刷新后仍被拒绝，稍后会自动重试。"), True),
    40002: (gettext_lazy("请求的 grant_type 不合法。"), False),
    40013: (
        gettext_lazy(
            "AppID 无效：请核对采集源中的 AppID（公众平台「设置与开发-基本配置」中的开发者ID）。"
        ),
        False,
    ),
    40014: (gettext_lazy("access_token 不合法，刷新后仍被拒绝，稍后会自动重试。"), True),
    40125: (
        gettext_lazy(
            "AppSecret 无效：请在公众平台「设置与开发-基本配置」中重置 AppSecret，并在采集源中重新填写。"
        ),
        False,
    ),
    40164: (
        gettext_lazy(
            "服务器 IP 不在公众号白名单中，请在公众平台「设置与开发-基本配置-IP白名单」中添加"
        ),
        False,
    ),
    41002: (gettext_lazy("缺少 AppID，请在采集源中填写。"), False),
    41004: (gettext_lazy("缺少 AppSecret，请在采集源中填写。"), False),
    42001: (gettext_lazy("access_token 已过期，刷新后仍被拒绝，稍后会自动重试。"), True),
    45009: (
        gettext_lazy(
            "接口今日调用次数已达上限，次日自动恢复；急需时可在公众平台「设置与开发-基本配置」中清零调用次数。"
        ),
        True,
    ),
    45011: (gettext_lazy("接口调用过于频繁，稍候重试后仍受限，稍后会自动重试。"), True),
    45047: (gettext_lazy("接口调用次数超过限制，稍后会自动重试。"), True),
    48001: (
        gettext_lazy("公众号没有此接口的权限（数据统计等接口需要已认证的公众号）。"),
        False,
    ),
    50001: (gettext_lazy("公众号未授权此接口。"), False),
    61500: (gettext_lazy("统计接口的日期格式错误。"), False),
    61501: (
        gettext_lazy("统计接口的日期范围错误（不能晚于昨天，且不能超过接口允许的跨度）。"),
        False,
    ),
}

# Where each call failed, in the words of the person reading the error.
ENDPOINT_LABELS = {
    "/cgi-bin/stable_token": gettext_lazy("获取 access_token"),
    "/cgi-bin/freepublish/batchget": gettext_lazy("获取已发布文章"),
    "/datacube/getarticletotal": gettext_lazy("获取图文统计"),
    "/datacube/getusercumulate": gettext_lazy("获取累计用户数"),
}

_IP = re.compile(r"invalid ip\s+([0-9A-Fa-f.:]+)")


def mask(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret (AppSecret, access tokens) replaced by ***."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    return text


class WechatError(Exception):
    """The platform refused a call with an errcode; `errmsg` is already masked."""

    def __init__(self, path: str, errcode: int, errmsg: str) -> None:
        super().__init__(f"{path}: errcode {errcode}")
        self.path = path
        self.errcode = errcode
        self.errmsg = errmsg

    @property
    def retryable(self) -> bool:
        return MEANINGS.get(self.errcode, ("", True))[1]

    def describe(self) -> str:
        """What went wrong and what to do, in Chinese, without any credential."""
        label = ENDPOINT_LABELS.get(self.path, self.path)
        if self.errcode == IP_NOT_WHITELISTED and (found := _IP.search(self.errmsg)):
            meaning = _(
                "服务器 IP %(ip)s 不在公众号白名单中，请在公众平台「设置与开发-基本配置-IP白名单」中添加"
            ) % {"ip": found.group(1)}
        elif self.errcode in MEANINGS:
            meaning = str(MEANINGS[self.errcode][0])
        else:
            meaning = _("微信接口返回：%(errmsg)s") % {"errmsg": self.errmsg[:200]}
        return _("%(label)s失败：%(meaning)s（微信错误码 %(code)s）") % {
            "label": label,
            "meaning": meaning,
            "code": self.errcode,
        }

    def pull_error(self) -> PullError:
        return PullError(self.describe(), retryable=self.retryable)


class WechatUnavailable(Exception):
    """The API could not be reached or answered something that is not its JSON (always retryable)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def pull_error(self) -> PullError:
        label = ENDPOINT_LABELS.get(self.path, self.path)
        message = _("%(label)s失败：无法访问微信接口（%(reason)s），稍后会自动重试。") % {
            "label": label,
            "reason": self.reason,
        }
        return PullError(message, retryable=True)
