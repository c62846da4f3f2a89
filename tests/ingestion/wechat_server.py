"""A local WeChat Official Account API: the documented requests, answers and errors, over real HTTP.

Built on pytest-httpserver. It implements the four endpoints the connector uses —
`POST /cgi-bin/stable_token`, `POST /cgi-bin/freepublish/batchget`,
`POST /datacube/getarticletotal` and `POST /datacube/getusercumulate` — and checks requests the way
the platform does: credentials, IP whitelist, access token present/valid/expired, JSON body fields,
date format and range (article totals one day, cumulative users at most seven, never today or
later). Errors are HTTP 200 with `{"errcode", "errmsg"}`, as on the platform.

Behaviours a test can set: `expires_in` (token lifetime), `whitelist` (allowed client IPs),
`daily_quota` (calls allowed per path), `token_delay` (a slow token endpoint), `fail(path, errcode,
times)` (scripted answers, e.g. busy -1 twice then success), `expire_tokens()` (every issued
token expired → 42001) and `invalidate_tokens()` (→ 40001).
"""

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

BEIJING = ZoneInfo("Asia/Shanghai")
APP_ID = "wx5f3c9a7e21d4b608"
APP_SECRET = "9b1e4c7a2f6d8e0b3a5c7d9e1f2a4b6c"
BIZ = "MzI0NTY3ODkwMQ=="

TOKEN = "/cgi-bin/stable_token"
PUBLISHED = "/cgi-bin/freepublish/batchget"
ARTICLE_TOTAL = "/datacube/getarticletotal"
USER_CUMULATE = "/datacube/getusercumulate"

ERRMSG = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40013: "invalid appid",
    40097: "invalid args",
    40125: "invalid appsecret",
    41001: "access_token missing",
    41002: "appid missing",
    41004: "appsecret missing",
    42001: "access_token expired",
    43002: "require POST method",
    45009: "reach max api daily quota limit",
    45011: "api minute-quota reach limit  mustslower  retry next minute",
    47001: "data format error",
    48001: "api unauthorized",
    61500: "date format error",
    61501: "date range error",
}


def rid() -> str:
    return f"{secrets.token_hex(4)}-{secrets.token_hex(4)}-{secrets.token_hex(4)}"


def error(errcode: int, errmsg: str | None = None) -> dict[str, Any]:
    return {"errcode": errcode, "errmsg": f"{errmsg or ERRMSG.get(errcode, 'error')} rid: {rid()}"}


@dataclass
class IssuedToken:
    expires_at: float
    expired: bool = False


@dataclass
class WechatServer:
    httpserver: HTTPServer
    app_id: str = APP_ID
    app_secret: str = APP_SECRET
    expires_in: int = 7200
    whitelist: set[str] | None = None
    daily_quota: dict[str, int] = field(default_factory=dict)
    token_delay: float = 0.0
    # Newest first, as the platform lists them.
    publications: list[dict[str, Any]] = field(default_factory=list)
    article_totals: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    cumulate_users: dict[str, int] = field(default_factory=dict)
    unauthorized: set[str] = field(default_factory=set)
    # Every request: (path, query, JSON body or None).
    requests: list[tuple[str, dict[str, str], Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._tokens: dict[str, IssuedToken] = {}
        self._current: str | None = None
        self._failures: dict[str, list[tuple[int, str | None]]] = {}
        self._calls: dict[str, int] = {}
        self._lock = threading.Lock()
        self._next_mid = 2247483650
        for path in (TOKEN, PUBLISHED, ARTICLE_TOTAL, USER_CUMULATE):
            self.httpserver.expect_request(path).respond_with_handler(self._handle)

    # --- behaviours -------------------------------------------------------------------------

    def fail(self, path: str, errcode: int, times: int = 1, errmsg: str | None = None) -> None:
        """The next `times` calls of `path` answer `errcode` (after the token checks)."""
        self._failures.setdefault(path, []).extend([(errcode, errmsg)] * times)

    def expire_tokens(self) -> None:
        for token in self._tokens.values():
            token.expired = True

    def invalidate_tokens(self) -> None:
        self._tokens.clear()
        self._current = None

    def calls(self, path: str) -> list[tuple[dict[str, str], Any]]:
        return [(query, body) for p, query, body in self.requests if p == path]

    @property
    def issued(self) -> list[str]:
        return list(self._tokens)

    # --- content ----------------------------------------------------------------------------

    def publish(
        self,
        titles: list[str],
        when: datetime,
        *,
        deleted: tuple[int, ...] = (),
        short_urls: bool = False,
    ) -> dict[str, Any]:
        """A publication of one or more articles at `when`; positions follow the list order.

        `short_urls` gives the `/s/<code>` form of article links, which carries no mid/idx.
        """
        mid = self._next_mid
        self._next_mid += 1
        stamp = int(when.timestamp())
        news = [
            {
                "title": title,
                "author": "临江融媒",
                "digest": f"{title}。",
                "content": f"<p>{title}</p><p>正文第一段。</p>",
                "content_source_url": "",
                "thumb_media_id": f"thumb_{mid}_{index}",
                "show_cover_pic": 0,
                "need_open_comment": 1,
                "only_fans_can_comment": 0,
                "url": (
                    f"https://mp.weixin.qq.com/s/{secrets.token_urlsafe(16)}"
                    if short_urls
                    else f"http://mp.weixin.qq.com/s?__biz={BIZ}&mid={mid}&idx={index}"
                    f"&sn={secrets.token_hex(16)}&chksm={secrets.token_hex(4)}#rd"
                ),
                "is_deleted": index in deleted,
            }
            for index, title in enumerate(titles, start=1)
        ]
        item = {
            "article_id": f"{secrets.token_urlsafe(30)}",
            "content": {"news_item": news, "create_time": stamp, "update_time": stamp},
            "update_time": stamp,
            "mid": mid,  # not part of the answer (removed below); lets tests name the msgid
        }
        self.publications.append(item)
        self.publications.sort(key=lambda i: i["update_time"], reverse=True)
        return item

    def add_article_total(
        self, msgid: str, title: str, ref_date: date, days: list[tuple[date, int, int, int]]
    ) -> None:
        """Statistics of one message sent on `ref_date`: (stat_date, reads, shares, favourites)."""
        details = [
            {
                "stat_date": day.isoformat(),
                "target_user": 12000,
                "int_page_read_user": reads * 9 // 10,
                "int_page_read_count": reads,
                "ori_page_read_user": 3,
                "ori_page_read_count": 4,
                "share_user": shares * 9 // 10,
                "share_count": shares,
                "add_to_fav_user": favourites,
                "add_to_fav_count": favourites,
                "int_page_from_session_read_user": reads // 2,
                "int_page_from_session_read_count": reads // 2,
                "int_page_from_hist_msg_read_user": reads // 10,
                "int_page_from_hist_msg_read_count": reads // 10,
                "int_page_from_feed_read_user": reads // 5,
                "int_page_from_feed_read_count": reads // 5,
                "int_page_from_friends_read_user": reads // 10,
                "int_page_from_friends_read_count": reads // 10,
                "int_page_from_other_read_user": 0,
                "int_page_from_other_read_count": 0,
                "feed_share_from_session_user": 0,
                "feed_share_from_session_cnt": 0,
                "feed_share_from_feed_user": 0,
                "feed_share_from_feed_cnt": 0,
                "feed_share_from_other_user": 0,
                "feed_share_from_other_cnt": 0,
            }
            for day, reads, shares, favourites in days
        ]
        entry = {
            "ref_date": ref_date.isoformat(),
            "msgid": msgid,
            "title": title,
            "details": details,
        }
        self.article_totals.setdefault(ref_date.isoformat(), []).append(entry)

    # --- the protocol -----------------------------------------------------------------------

    def _handle(self, request: Request) -> Response:
        path = request.path
        query = dict(request.args)
        try:
            body = json.loads(request.get_data()) if request.get_data() else None
        except ValueError:
            body = ValueError
        with self._lock:
            self.requests.append((path, query, None if body is ValueError else body))
            self._calls[path] = self._calls.get(path, 0) + 1
            answer = self._answer(request, path, query, body)
        return Response(
            json.dumps(answer, ensure_ascii=False),
            status=200,
            content_type="application/json; encoding=utf-8",
        )

    def _answer(self, request: Request, path: str, query: dict[str, str], body: Any) -> Any:
        if request.method != "POST":
            return error(43002)
        if self.whitelist is not None and request.remote_addr not in self.whitelist:
            ip = request.remote_addr
            return error(40164, f"invalid ip {ip} ipv6 ::ffff:{ip}, not in whitelist")
        if body is ValueError or not isinstance(body, dict):
            return error(47001)
        if path == TOKEN:
            return self._stable_token(body)
        if "access_token" not in query:
            return error(41001)
        issued = self._tokens.get(query["access_token"])
        if issued is None:
            return error(40001)
        if issued.expired or issued.expires_at <= time.time():
            return error(42001)
        if failures := self._failures.get(path):
            return error(*failures.pop(0))
        if path in self.daily_quota and self._calls[path] > self.daily_quota[path]:
            return error(45009)
        if path in self.unauthorized:
            return error(48001)
        if path == PUBLISHED:
            return self._published(body)
        return self._datacube(path, body)

    def _stable_token(self, body: dict[str, Any]) -> Any:
        if self.token_delay:
            time.sleep(self.token_delay)
        if body.get("grant_type") != "client_credential":
            return error(40002)
        if not body.get("appid"):
            return error(41002)
        if not body.get("secret"):
            return error(41004)
        if body["appid"] != self.app_id:
            return error(40013)
        if body["secret"] != self.app_secret:
            return error(40125)
        if failures := self._failures.get(TOKEN):
            return error(*failures.pop(0))
        if TOKEN in self.daily_quota and self._calls[TOKEN] > self.daily_quota[TOKEN]:
            return error(45009)
        now = time.time()
        current = self._tokens.get(self._current or "")
        # Normal mode hands out the same token while it has more than five minutes left; a
        # forced refresh issues a new one (the old one stays valid a few minutes, as documented).
        if body.get("force_refresh") is not True and current is not None:
            left = int(current.expires_at - now)
            if not current.expired and left > 300:
                return {"access_token": self._current, "expires_in": left}
        token = secrets.token_urlsafe(96)
        self._tokens[token] = IssuedToken(now + self.expires_in)
        if current is not None and not current.expired:
            current.expires_at = min(current.expires_at, now + 300)
        self._current = token
        return {"access_token": token, "expires_in": self.expires_in}

    def _published(self, body: dict[str, Any]) -> Any:
        offset, count, no_content = body.get("offset"), body.get("count"), body.get("no_content", 0)
        if not isinstance(offset, int) or offset < 0:
            return error(40097)
        if not isinstance(count, int) or not 1 <= count <= 20 or no_content not in (0, 1):
            return error(40097)
        page = []
        for item in self.publications[offset : offset + count]:
            news = [
                {k: v for k, v in article.items() if not (no_content and k == "content")}
                for article in item["content"]["news_item"]
            ]
            content = {**item["content"], "news_item": news}
            page.append(
                {
                    "article_id": item["article_id"],
                    "content": content,
                    "update_time": item["update_time"],
                }
            )
        return {"total_count": len(self.publications), "item_count": len(page), "item": page}

    def _datacube(self, path: str, body: dict[str, Any]) -> Any:
        try:
            begin = date.fromisoformat(body["begin_date"])
            end = date.fromisoformat(body["end_date"])
        except (KeyError, TypeError, ValueError):
            return error(61500)
        max_span = 1 if path == ARTICLE_TOTAL else 7
        today = datetime.now(UTC).astimezone(BEIJING).date()
        if end < begin or (end - begin).days + 1 > max_span or end >= today:
            return error(61501)
        days = [(begin + timedelta(days=n)).isoformat() for n in range((end - begin).days + 1)]
        if path == ARTICLE_TOTAL:
            return {"list": [entry for day in days for entry in self.article_totals.get(day, [])]}
        return {
            "list": [
                {"ref_date": day, "user_source": 0, "cumulate_user": self.cumulate_users[day]}
                for day in days
                if day in self.cumulate_users
            ]
        }
