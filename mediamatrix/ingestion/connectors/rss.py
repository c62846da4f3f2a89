"""RSS/Atom feeds of websites: conditional GET, one post per entry, full text from the article page.

A pull fetches the feed with the validators kept from the last pull (ETag, Last-Modified); a 304
means nothing changed. Each entry becomes a `PostRecord`. For entries not stored yet, the article
page is fetched and its main text extracted offline (trafilatura), so posts carry the whole
article rather than the feed's teaser; the feed's content stays as the fallback. Posts already
stored keep the body they got when first seen, so pulling again changes nothing.
"""

import calendar
import hashlib
import ipaddress
import logging
import re
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import httpx
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from mediamatrix import __version__
from mediamatrix.engines.text import html_to_text
from mediamatrix.ingestion.connectors import Connector, PullError, PullResult, register
from mediamatrix.ingestion.records import MAX_EXTERNAL_ID, MAX_TITLE, PostRecord

logger = logging.getLogger(__name__)

USER_AGENT = f"mediamatrix/{__version__} (RSS/Atom reader)"
TIMEOUT = httpx.Timeout(20.0, connect=10.0)
MAX_FEED_BYTES = 10 * 1024 * 1024
MAX_ARTICLE_BYTES = 5 * 1024 * 1024
# Article pages fetched per pull and the time they may take; the rest wait for the next pull.
MAX_ARTICLES_PER_PULL = 50
ARTICLE_BUDGET_SECONDS = 120.0
MAX_URL = 1000
MAX_AUTHOR = 128
MAX_DIGEST = 1000
FEED_VERSIONS = ("rss", "atom", "cdf")  # feedparser's names for RSS 0.9x–2.0, RDF and Atom


@dataclass(frozen=True)
class Download:
    url: str
    status: int
    headers: httpx.Headers
    body: bytes


@dataclass(frozen=True)
class FeedItem:
    record: PostRecord
    dated: bool  # False when the feed gave no date and the fetch time stands in


def pull_feed(source: Any) -> PullResult:
    """Fetch one source's feed and turn its entries into records (see the module docstring)."""
    feed_url = str(source.config.get("feed_url", "")).strip()
    if not feed_url:
        raise PullError(_("没有填写订阅地址。"), retryable=False)
    state = source.state or {}
    validators = state if state.get("feed_url") == feed_url else {}
    now = timezone.now()
    with _client() as client:
        feed = _download(client, feed_url, limit=MAX_FEED_BYTES, headers=_conditional(validators))
        if feed.status == 304:
            return PullResult(message=_("订阅内容没有变化（HTTP 304）。"))
        parsed = _parse(feed)
        items = _items(parsed, base=feed.url, account_id=source.account_id, now=now)
        new_state = {
            "feed_url": feed_url,
            "etag": feed.headers.get("etag", ""),
            "last_modified": feed.headers.get("last-modified", ""),
        }
        if _flag(source.config.get("fetch_full_text", True)):
            result = _with_full_text(client, source.account_id, items, new_state, site=feed.url)
        else:
            records = _keep_dates(items, _stored(source.account_id, items), with_body=False)
            message = _("订阅条目 %(count)d 条。") % {"count": len(items)}
            result = PullResult(records=records, state=new_state, message=message)
    if parsed.bozo:  # entries were found, but the XML is damaged: say so, keep what was read
        result.message += _("订阅内容有格式错误（%(error)s），已尽量读取。") % {
            "error": parsed.get("bozo_exception")
        }
    return result


def _client() -> httpx.Client:
    return httpx.Client(
        headers={"User-Agent": USER_AGENT},
        timeout=TIMEOUT,
        follow_redirects=True,
        max_redirects=5,
    )


def _conditional(state: dict[str, Any]) -> dict[str, str]:
    headers = {}
    if state.get("etag"):
        headers["If-None-Match"] = str(state["etag"])
    if state.get("last_modified"):
        headers["If-Modified-Since"] = str(state["last_modified"])
    return headers


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("", "0", "false", "no", "off", "否")
    return bool(value)


# Fetching ------------------------------------------------------------------------------------


def _download(
    client: httpx.Client,
    url: str,
    *,
    limit: int,
    headers: dict[str, str] | None = None,
    deadline: float | None = None,
) -> Download:
    """GET `url` with a size cap; every failure becomes a PullError a person can read."""
    try:
        with client.stream("GET", url, headers=headers or {}) as response:
            if response.status_code == 304:
                return Download(str(response.url), 304, response.headers, b"")
            if response.status_code >= 400:
                raise PullError(
                    _status_message(response.status_code),
                    retryable=response.status_code != 410,
                )
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise PullError(_too_large(limit))
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise PullError(_too_large(limit))
                if deadline is not None and time.monotonic() > deadline:
                    raise PullError(_("下载超时。"))
                chunks.append(chunk)
            return Download(
                str(response.url), response.status_code, response.headers, b"".join(chunks)
            )
    except httpx.TimeoutException:
        raise PullError(
            _("连接 %(url)s 超时（%(seconds)d 秒内没有响应），稍后会自动重试。")
            % {"url": url, "seconds": int(TIMEOUT.read or 0)}
        ) from None
    except httpx.ConnectError as error:
        raise PullError(
            _("无法连接 %(url)s（域名无法解析或服务器拒绝连接：%(detail)s），稍后会自动重试。")
            % {"url": url, "detail": error}
        ) from None
    except httpx.TooManyRedirects:
        raise PullError(_("%(url)s 重定向次数过多。") % {"url": url}) from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol):
        raise PullError(
            _("地址无效：%(url)s（应为 http:// 或 https:// 开头的完整地址）。") % {"url": url},
            retryable=False,
        ) from None
    except httpx.HTTPError as error:
        raise PullError(
            _("下载 %(url)s 出错：%(detail)s") % {"url": url, "detail": error}
        ) from None


def _status_message(status: int) -> str:
    reason = {
        401: _("需要登录"),
        403: _("拒绝访问"),
        404: _("找不到该地址"),
        410: _("地址已永久删除"),
        429: _("请求过于频繁"),
    }.get(status, _("服务器出错") if status >= 500 else _("请求出错"))
    hint = _("稍后会自动重试。") if status >= 500 or status == 429 else _("请核对订阅地址。")
    return _("订阅地址返回 HTTP %(status)d（%(reason)s），%(hint)s") % {
        "status": status,
        "reason": reason,
        "hint": hint,
    }


def _too_large(limit: int) -> str:
    return _("内容超过 %(size)s 的上限，已放弃下载。") % {"size": filesizeformat(limit)}


# Parsing -------------------------------------------------------------------------------------


def _parse(feed: Download) -> Any:
    parsed = feedparser.parse(
        feed.body,
        # No content-location: feedparser would resolve relative guids against the feed's
        # address, and ids must not change when the feed moves. Links are resolved below.
        response_headers={"content-type": feed.headers.get("content-type", "application/xml")},
    )
    version = parsed.get("version") or ""
    if not version.startswith(FEED_VERSIONS) or (parsed.bozo and not parsed.entries):
        content_type = feed.headers.get("content-type", "").split(";")[0].strip() or "—"
        raise PullError(
            _(
                "订阅地址返回的不是 RSS/Atom（XML）内容（收到的是 %(type)s%(detail)s）。"
                "请确认填写的是订阅文件的地址，而不是网页或其他接口的地址。"
            )
            % {
                "type": content_type,
                # Where the parser stopped helps with a broken feed, not with a web page.
                "detail": _xml_error(parsed.get("bozo_exception"))
                if "xml" in content_type or content_type == "—"
                else "",
            }
        )
    return parsed


def _xml_error(error: Any) -> str:
    """Where the XML parser gave up ("" for bodies that were never XML to begin with)."""
    line = getattr(error, "getLineNumber", None)
    if error is None or line is None:
        return ""
    return _("，XML 在第 %(line)s 行第 %(column)s 列出错：%(reason)s") % {
        "line": line(),
        "column": error.getColumnNumber(),
        "reason": error.getMessage(),
    }


def _text(html: str) -> str:
    return " ".join(html_to_text(html)[0].split()) if html else ""


def _external_id(entry: Any) -> str:
    """The entry's id (guid) or link: stable across pulls; hashed when too long to store."""
    key = str(entry.get("id") or entry.get("link") or "").strip()
    if not key:
        key = "title:" + str(entry.get("title", "")) + str(entry.get("published", ""))
    if len(key) > MAX_EXTERNAL_ID:
        key = "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    return key


def _published(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)  # feedparser gives UTC


def _items(parsed: Any, *, base: str, account_id: int, now: datetime) -> list[FeedItem]:
    items: list[FeedItem] = []
    seen: set[str] = set()
    for index, entry in enumerate(parsed.entries, start=1):
        external_id = _external_id(entry)
        if external_id in seen:  # a feed listing one entry twice: the first one counts
            continue
        seen.add(external_id)
        summary = str(entry.get("summary", ""))
        contents = entry.get("content") or []
        body = str(contents[0].get("value", "")) if contents else summary
        digest = _text(summary)
        title = _text(str(entry.get("title", ""))) or digest[:60]
        link = urljoin(base, str(entry.get("link", ""))) if entry.get("link") else ""
        published = _published(entry)
        record = PostRecord(
            account_id=account_id,
            external_id=external_id,
            title=title[:MAX_TITLE],
            published_at=published or now,
            url=link if len(link) <= MAX_URL else "",
            author=str(entry.get("author", "")).strip()[:MAX_AUTHOR],
            digest=digest[:MAX_DIGEST],
            body_html=body,
            origin=index,
        )
        items.append(FeedItem(record, dated=published is not None))
    return items


def _stored(account_id: int, items: list[FeedItem]) -> dict[str, tuple[datetime, str]]:
    """Posts already stored for these entries: external id → (published_at, body_html)."""
    from mediamatrix.ingestion.models import Post

    ids = [item.record.external_id for item in items]
    rows = Post.objects.filter(account_id=account_id, external_id__in=ids).values_list(
        "external_id", "published_at", "body_html"
    )
    return {external_id: (published, body) for external_id, published, body in rows}


def _keep_dates(
    items: list[FeedItem], stored: dict[str, tuple[datetime, str]], *, with_body: bool
) -> list[PostRecord]:
    """Undated entries keep the time they were first seen; with full text, the stored body."""
    records = []
    for item in items:
        record = item.record
        known = stored.get(record.external_id)
        if known is not None:
            if not item.dated:
                record = replace(record, published_at=known[0])
            if with_body:
                record = replace(record, body_html=known[1])
        records.append(record)
    return records


# Full text -----------------------------------------------------------------------------------


def _with_full_text(
    client: httpx.Client,
    account_id: int,
    items: list[FeedItem],
    state: dict[str, Any],
    *,
    site: str,
) -> PullResult:
    stored = _stored(account_id, items)
    records = _keep_dates(items, stored, with_body=True)
    new = [i for i, r in enumerate(records) if r.external_id not in stored and r.url]
    # Only pages of the feed's own site: a feed must not steer the worker to other addresses.
    fresh = [i for i in new if same_site(records[i].url, site)]
    elsewhere = len(new) - len(fresh)
    deadline = time.monotonic() + ARTICLE_BUDGET_SECONDS
    extracted = failed = 0
    deferred: set[int] = set()
    for position, index in enumerate(fresh):
        if position >= MAX_ARTICLES_PER_PULL or time.monotonic() > deadline:
            deferred.update(fresh[position:])
            break
        body = _article_body(client, records[index].url, deadline, site=site)
        if body:
            records[index] = replace(records[index], body_html=body)
            extracted += 1
        else:
            failed += 1
    message = _("订阅条目 %(count)d 条，新条目抓取全文 %(done)d 篇。") % {
        "count": len(items),
        "done": extracted,
    }
    if failed:
        message += _("%(failed)d 篇全文抓取失败，已使用订阅中的内容。") % {"failed": failed}
    if elsewhere:
        message += _("%(count)d 篇链接不在订阅所在网站，未抓取全文。") % {"count": elsewhere}
    if deferred:
        # Leave them for the next pull, and drop the validators so it reads the feed again.
        message += _("%(left)d 篇留待下次采集。") % {"left": len(deferred)}
        records = [r for i, r in enumerate(records) if i not in deferred]
        state = {**state, "etag": "", "last_modified": ""}
    return PullResult(records=records, state=state, message=message)


def _article_body(client: httpx.Client, url: str, deadline: float, *, site: str) -> str:
    """The main text of the article page as HTML, or "" when it cannot be fetched or found."""
    try:
        page = _download(client, url, limit=MAX_ARTICLE_BYTES, deadline=deadline)
    except PullError as error:
        logger.info("article %s not fetched: %s", url, error)
        return ""
    content_type = page.headers.get("content-type", "text/html")
    if "html" not in content_type or not same_site(page.url, site):  # redirected elsewhere
        return ""
    return extract_main_html(page.body, url=page.url)


def same_site(url: str, reference: str) -> bool:
    """Whether `url` is on the site of `reference`: the same host, or the same registered domain
    (www.example.gov.cn and rss.example.gov.cn; not another-county.gov.cn)."""
    host, reference_host = urlsplit(url).hostname, urlsplit(reference).hostname
    if not host or not reference_host:
        return False
    if host == reference_host:
        return True
    if _is_ip(host) or _is_ip(reference_host):
        return False
    from courlan import is_external  # the public-suffix list; loaded on first use

    return not is_external(url, reference, ignore_suffix=False)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


_BODY = re.compile(r"^\s*<html>\s*<body>(?P<inner>.*)</body>\s*</html>\s*$", re.DOTALL)


def extract_main_html(page: bytes | str, *, url: str = "") -> str:
    """The article's main text without navigation, sidebars and footers ("" if none is found).

    Precision first (drops boilerplate aggressively); on pages where that finds nothing,
    trafilatura's default balance.
    """
    import trafilatura  # heavy; imported on first use, not when the app starts

    def extract(precise: bool) -> str | None:
        return trafilatura.extract(
            page,
            url=url or None,
            output_format="html",
            include_comments=False,
            favor_precision=precise,
        )

    try:
        html = extract(precise=True) or extract(precise=False)
    except Exception:  # a parser failure on one odd page must not fail the pull
        logger.warning("article extraction failed for %s", url, exc_info=True)
        return ""
    if not html:
        return ""
    match = _BODY.match(html)
    return (match.group("inner") if match else html).strip()


register(
    Connector(
        name="rss",
        label="RSS/Atom 订阅",
        kind="pull",
        pull=pull_feed,
        config_fields=(("feed_url", "订阅地址"), ("fetch_full_text", "抓取全文")),
        needs_secret=False,
        docs="docs/ingestion/rss.md",
    )
)
