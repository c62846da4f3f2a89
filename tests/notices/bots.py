"""Local custom-bot endpoints of WeCom, DingTalk and Feishu, over real HTTP (pytest-httpserver).

Each checks a request the way its platform documents it — the key or token in the address, the
message type, the content limit, and for DingTalk and Feishu the signature (recomputed here from
the request's timestamp and the secret, and refused outside an hour) — and answers in the
platform's format. `fail(times, answer, status)` scripts failures before the normal answer.
"""

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

WECOM_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
DINGTALK_TOKEN = "c0ffee00d1ce0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899a"
FEISHU_HOOK = "2b5a1c3e-9d8f-4e7a-b6c5-d4e3f2a1b0c9"

PATHS = {
    "wecom": "/cgi-bin/webhook/send",
    "dingtalk": "/robot/send",
    "feishu": f"/open-apis/bot/v2/hook/{FEISHU_HOOK}",
}
QUERIES = {
    "wecom": f"?key={WECOM_KEY}",
    "dingtalk": f"?access_token={DINGTALK_TOKEN}",
    "feishu": "",
}


def expected_dingtalk_sign(secret: str, timestamp: str) -> str:
    key = secret.encode()
    return base64.b64encode(
        hmac.new(key, f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()


def expected_feishu_sign(secret: str, timestamp: str) -> str:
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def _fresh(timestamp: str, per_second: int) -> bool:
    return timestamp.isdigit() and abs(int(timestamp) / per_second - time.time()) < 3600


@dataclass
class Bot:
    httpserver: HTTPServer
    platform: str
    secret: str = ""
    legacy: bool = False  # Feishu's older answer format: {"StatusCode": 0, ...}
    # Every request as received: (query arguments, raw query string, JSON body).
    requests: list[tuple[dict[str, str], str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._script: list[tuple[int, Any]] = []
        path = PATHS[self.platform]
        self.httpserver.expect_request(path, method="POST").respond_with_handler(self._handle)
        self.url = self.httpserver.url_for(path) + QUERIES[self.platform]

    def fail(self, times: int = 1, answer: Any = None, status: int = 200) -> None:
        self._script.extend([(status, answer)] * times)

    @property
    def bodies(self) -> list[Any]:
        return [body for _, _, body in self.requests]

    def _handle(self, request: Request) -> Response:
        body = json.loads(request.get_data() or b"null")
        self.requests.append((dict(request.args), request.query_string.decode(), body))
        if self._script:
            status, answer = self._script.pop(0)
            text = answer if isinstance(answer, str) else json.dumps(answer)
            return Response(text, status=status, content_type="application/json")
        answer = getattr(self, f"_{self.platform}")(request.args, body)
        return Response(json.dumps(answer), content_type="application/json")

    def _wecom(self, args: Any, body: Any) -> dict[str, Any]:
        if args.get("key") != WECOM_KEY:
            return {"errcode": 93000, "errmsg": "invalid webhook url"}
        content = (body.get("markdown") or {}).get("content", "")
        if body.get("msgtype") != "markdown" or not content:
            return {"errcode": 40008, "errmsg": "invalid message type"}
        if len(content.encode()) > 4096:
            return {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"}
        return {"errcode": 0, "errmsg": "ok"}

    def _dingtalk(self, args: Any, body: Any) -> dict[str, Any]:
        if args.get("access_token") != DINGTALK_TOKEN:
            return {"errcode": 300001, "errmsg": "token is not exist"}
        if self.secret:
            timestamp, sign = args.get("timestamp", ""), args.get("sign", "")
            if not _fresh(timestamp, 1000) or sign != expected_dingtalk_sign(
                self.secret, timestamp
            ):
                return {"errcode": 310000, "errmsg": "sign not match"}
        markdown = body.get("markdown") or {}
        if (
            body.get("msgtype") != "markdown"
            or not markdown.get("title")
            or not markdown.get("text")
        ):
            return {"errcode": 40035, "errmsg": "缺少参数 json"}
        return {"errcode": 0, "errmsg": "ok"}

    def _feishu(self, args: Any, body: Any) -> dict[str, Any]:
        if self.secret:
            timestamp, sign = body.get("timestamp", ""), body.get("sign", "")
            if not _fresh(timestamp, 1) or sign != expected_feishu_sign(self.secret, timestamp):
                return {
                    "code": 19021,
                    "msg": "sign match fail or timestamp is not within one hour from current time",
                }
        if body.get("msg_type") != "text" or not (body.get("content") or {}).get("text"):
            return {"code": 9499, "msg": "Bad Request"}
        if self.legacy:
            return {"Extra": None, "StatusCode": 0, "StatusMessage": "success"}
        return {"code": 0, "data": {}, "msg": "success"}
