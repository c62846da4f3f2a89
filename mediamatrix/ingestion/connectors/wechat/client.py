"""A small HTTP client for the WeChat Official Account API.

It gets tokens through the stable-token endpoint (the AppSecret travels in a POST body, never in a
URL), adds the access token to each call, refreshes it once when the platform refuses it, and
retries "system busy" and minute-quota answers with exponential backoff. Nothing it logs or raises
contains the AppSecret or an access token.
"""

import json
import logging
import time
from collections.abc import Callable
from typing import Any

import httpx
from django.conf import settings

from mediamatrix.ingestion.connectors.wechat.errors import (
    INVALID_TOKEN,
    RETRY_IN_PULL,
    WechatError,
    WechatUnavailable,
    mask,
)
from mediamatrix.ingestion.connectors.wechat.tokens import SourceTokens
from mediamatrix.ingestion.models import Source

logger = logging.getLogger(__name__)
# httpx logs every request URL at INFO; our URLs carry the access token.
logging.getLogger("httpx").setLevel(logging.WARNING)
logging.getLogger("httpcore").setLevel(logging.WARNING)

DEFAULT_API_BASE = "https://api.weixin.qq.com"
TOKEN_PATH = "/cgi-bin/stable_token"
TRIES = 3
BACKOFF_SECONDS = 1.0
TIMEOUT_SECONDS = 15.0

# Tests replace this to record the backoff instead of waiting it out.
sleep: Callable[[float], None] = time.sleep


def api_base() -> str:
    """The API root: settings.WECHAT_API_BASE (a test server, an egress proxy) or the platform."""
    return str(getattr(settings, "WECHAT_API_BASE", "") or DEFAULT_API_BASE).rstrip("/")


class WechatClient:
    """Calls for one source; use as a context manager so the connection pool is closed."""

    def __init__(
        self,
        source: Source,
        *,
        app_id: str,
        base_url: str | None = None,
        http: httpx.Client | None = None,
        tries: int = TRIES,
        backoff: float | None = None,
    ) -> None:
        self.source = source
        self.app_id = app_id
        self._http = http or httpx.Client(
            base_url=base_url or api_base(),
            timeout=TIMEOUT_SECONDS,
            headers={"User-Agent": "mediamatrix"},
        )
        self.tries = max(tries, 1)
        self.backoff = (
            backoff
            if backoff is not None
            else float(getattr(settings, "WECHAT_BACKOFF_SECONDS", BACKOFF_SECONDS))
        )
        self.tokens = SourceTokens(source, self._fetch_token)

    def __enter__(self) -> "WechatClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.close()

    def __repr__(self) -> str:
        return f"<WechatClient source={self.source.pk} app_id={self.app_id}>"

    def call(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST `body` to an API path with the access token; the JSON answer when errcode is 0."""
        token = self.tokens.current()
        refreshed = False
        while True:
            try:
                return self._post(path, body, params={"access_token": token})
            except WechatError as error:
                if error.errcode not in INVALID_TOKEN or refreshed:
                    raise
                refreshed = True
                logger.info("wechat %s refused the access token (errcode %s)", path, error.errcode)
                # An expired token is simply renewed; an invalid one needs a forced refresh.
                token = self.tokens.replace(token, force=error.errcode != 42001)

    def _fetch_token(self, force: bool) -> tuple[str, int]:
        body = {
            "grant_type": "client_credential",
            "appid": self.app_id,
            "secret": self.source.secret,
            "force_refresh": force,
        }
        data = self._post(TOKEN_PATH, body)
        token, expires_in = data.get("access_token"), data.get("expires_in")
        if not isinstance(token, str) or not token or not isinstance(expires_in, int):
            raise WechatUnavailable(TOKEN_PATH, "no access_token in the answer")
        return token, expires_in

    def _post(
        self, path: str, body: dict[str, Any], params: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """One call, retried with backoff while the platform is busy or rate-limiting."""
        for attempt in range(1, self.tries + 1):
            data = self._send(path, body, params)
            errcode = data.get("errcode", 0)
            if not isinstance(errcode, int) or errcode == 0:
                return data
            errmsg = mask(str(data.get("errmsg", "")), self._secrets(params))
            if errcode in RETRY_IN_PULL and attempt < self.tries:
                delay = self.backoff * 2 ** (attempt - 1)
                logger.warning(
                    "wechat %s answered errcode %s; retry %s/%s in %.1fs",
                    path,
                    errcode,
                    attempt,
                    self.tries - 1,
                    delay,
                )
                sleep(delay)
                continue
            raise WechatError(path, errcode, errmsg)
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(
        self, path: str, body: dict[str, Any], params: dict[str, str] | None
    ) -> dict[str, Any]:
        content = json.dumps(body, ensure_ascii=False).encode()
        try:
            response = self._http.post(
                path,
                params=params,
                content=content,
                headers={"Content-Type": "application/json"},
            )
        except httpx.HTTPError as error:
            # The exception text may hold the URL (and so the token): keep only its kind.
            raise WechatUnavailable(path, type(error).__name__) from None
        if response.status_code != 200:
            raise WechatUnavailable(path, f"HTTP {response.status_code}")
        try:
            data = json.loads(response.content)
        except ValueError:
            raise WechatUnavailable(path, "not JSON") from None
        if not isinstance(data, dict):
            raise WechatUnavailable(path, "not a JSON object")
        return data

    def _secrets(self, params: dict[str, str] | None) -> list[str]:
        return [self.source.secret, *(params or {}).values()]
