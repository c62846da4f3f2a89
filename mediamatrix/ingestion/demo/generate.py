"""Writing the demo posts: every account's window of posts, metric snapshots and follower counts.

Like the registry demo, rows are written in batches of 2,000 inside one transaction (as plain
rows, see rows.py), with post ids allocated up front so the snapshots can point at their posts
without reading ids back; posts_upsert would validate and compare one post at a time, and
bulk_create prepares each value one field at a time. The stored values are exactly
what posts_upsert stores for the same record (normalised body text, content hash), so importing
a generated post again reports it unchanged.

Given the registry, the seed, the number of days and the end of the window, the content is the
same on every run; only insert-time clocks (created_at, updated_at) differ.
"""

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from mediamatrix.core.audit import audit_record
from mediamatrix.core.tree import path_ids
from mediamatrix.engines.text import normalize
from mediamatrix.ingestion.demo.compose import Composer, Draft, article_paragraphs, as_original
from mediamatrix.ingestion.demo.library import Library
from mediamatrix.ingestion.demo.links import Links
from mediamatrix.ingestion.demo.metrics import (
    final_numbers,
    follower_series,
    snapshot_times,
    week_share,
)
from mediamatrix.ingestion.demo.profiles import ARTICLE, TZ, Profile, build_profile
from mediamatrix.ingestion.demo.rows import BATCH_SIZE, Table
from mediamatrix.ingestion.models import AccountSnapshot, MetricSnapshot, Post
from mediamatrix.ingestion.services.posts import content_hash
from mediamatrix.orgs.choices import UnitKind
from mediamatrix.orgs.demo import DemoError
from mediamatrix.orgs.models import Account, Unit

MAX_DAYS = 366
DIGEST_LENGTH = 54
SOURCE = "demo"

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class PlantedPost:
    """A post that carries one of the planted problems (or a debunk), for tests and docs."""

    kind: str  # clickbait, typo, reprint, copy, rumour, debunk
    platform: str
    handle: str
    external_id: str
    detail: str  # the title, "wrong/right", the declared source, the copied post, the rumour id


@dataclass(frozen=True)
class PostsSummary:
    seed: int
    days: int
    start: datetime
    end: datetime
    accounts: int
    posting_accounts: int
    posts: int
    metric_snapshots: int
    account_snapshots: int
    dormant: tuple[str, ...] = ()  # "platform:handle" of accounts silent at the end
    planted: tuple[PlantedPost, ...] = field(default=(), repr=False)

    def count(self, kind: str) -> int:
        return sum(1 for p in self.planted if p.kind == kind)

    def counts(self) -> dict[str, int]:
        kinds = ("clickbait", "typo", "reprint", "copy", "rumour", "debunk")
        return {kind: self.count(kind) for kind in kinds}

    def describe(self) -> str:
        first = self.start.astimezone(TZ).date()
        last = (self.end - timedelta(seconds=1)).astimezone(TZ).date()
        return (
            f"稿件 {self.posts} 篇（{first} 至 {last}，{self.days} 天，"
            f"{self.posting_accounts} 个账号发布），数据快照 {self.metric_snapshots} 条，"
            f"粉丝数记录 {self.account_snapshots} 条"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "days": self.days,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "accounts": self.accounts,
            "posting_accounts": self.posting_accounts,
            "posts": self.posts,
            "metric_snapshots": self.metric_snapshots,
            "account_snapshots": self.account_snapshots,
            "dormant_accounts": len(self.dormant),
            "planted": self.counts(),
        }


def window_end(day: date | None = None) -> datetime:
    """Midnight starting `day` in Asia/Shanghai; by default today's, so the window ends
    yesterday evening and a demo generated on any day has recent posts."""
    if day is None:
        day = timezone.now().astimezone(TZ).date()
    return datetime.combine(day, time(), tzinfo=TZ)


class _Writer:
    """Posts, their snapshots and follower counts, flushed together every few thousand posts."""

    def __init__(self, first_id: int) -> None:
        self.next_id = first_id
        self.now = timezone.now()
        self.posts = Table(Post, with_pk=True)
        self.snapshots = Table(MetricSnapshot, with_pk=False)
        self.followers = Table(AccountSnapshot, with_pk=False)
        self.texts: dict[str, str] = {}

    def take_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def body_text(self, paragraphs: tuple[str, ...]) -> str:
        """What `normalize(body_html, html=True)` gives for `<p>` paragraphs without markup
        inside: one line per paragraph. Normalising the lines skips parsing the markup, which
        is half the work; the tests hold the two equal. Reprints share their bodies, so each
        distinct body is normalised once."""
        lines = "\n".join(paragraphs)
        text = self.texts.get(lines)
        if text is None:
            if len(self.texts) > 20_000:
                self.texts.clear()
            text = self.texts[lines] = normalize(lines).text
        return text

    def add(self, post: dict[str, Any], snapshots: Iterable[dict[str, Any]]) -> None:
        self.posts.add(post | {"created_at": self.now, "updated_at": self.now})
        for snapshot in snapshots:
            self.snapshots.add(snapshot)
        if len(self.posts.rows) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        # Posts first: the snapshots point at them.
        self.posts.flush()
        self.snapshots.flush()
        self.followers.flush()


def _ancestry(accounts: list[Account]) -> dict[int, list[Unit]]:
    """For each owner unit id: its units from the root down to itself."""
    paths = {a.owner_id: a.owner_path for a in accounts if a.owner_id and a.owner_path}
    ids = {i for path in paths.values() for i in path_ids(path)}
    units = Unit.objects.only("id", "name", "kind", "level").in_bulk(ids)
    return {
        owner: [units[i] for i in path_ids(path) if i in units] for owner, path in paths.items()
    }


def _fallback_city() -> str:
    name = (
        Unit.objects.filter(kind=UnitKind.CITY).order_by("path").values_list("name", flat=True)
    ).first()
    return name or "本市"


def generate_demo_posts(
    *,
    seed: int = 2026,
    days: int = 90,
    end: datetime,
    progress: Progress | None = None,
) -> PostsSummary:
    """Posts for every account in the database over the `days` before `end`, in one transaction.

    Refuses to run when any post exists. `end` must be timezone-aware; the commands pass the
    start of today (Asia/Shanghai) so the demo always has recent posts.
    """
    if timezone.is_naive(end):
        raise DemoError("结束时间必须带时区。")
    if end > timezone.now():
        raise DemoError("结束时间不能晚于现在：稿件不能发布在未来。")
    if not 1 <= days <= MAX_DAYS:
        raise DemoError(f"天数应在 1 到 {MAX_DAYS} 之间。")
    report = progress or (lambda step, done, total: None)
    start = end - timedelta(days=days)
    with transaction.atomic():
        if Post.objects.exists():
            raise DemoError("数据库里已有稿件，演示稿件只能生成到没有稿件的库中。")
        accounts = list(Account.objects.order_by("id"))
        ancestry = _ancestry(accounts)
        fallback = _fallback_city()
        library = Library(seed, start, end)
        writer = _Writer((Post.objects.aggregate(top=Max("id"))["top"] or 0) + 1)
        planted: list[PlantedPost] = []
        dormant: list[str] = []
        latest: list[Account] = []
        report("稿件", 0, len(accounts))
        for done, account in enumerate(accounts, start=1):
            chain = ancestry.get(account.owner_id, []) if account.owner_id else []
            profile = build_profile(account, chain, fallback, seed=seed, start=start, end=end)
            if profile is not None:
                last = _account_posts(profile, library, writer, end, planted)
                if last is not None:
                    account.last_post_at = last
                    latest.append(account)
                    if profile.dormant:
                        dormant.append(f"{account.platform}:{account.handle}")
                    _followers(profile, writer, end, days)
            report("稿件", done, len(accounts))
        writer.flush()
        Account.objects.bulk_update(latest, ["last_post_at"], batch_size=BATCH_SIZE)
        _reset_sequences()
        summary = PostsSummary(
            seed=seed,
            days=days,
            start=start,
            end=end,
            accounts=len(accounts),
            posting_accounts=len(latest),
            posts=writer.posts.written,
            metric_snapshots=writer.snapshots.written,
            account_snapshots=writer.followers.written,
            dormant=tuple(dormant),
            planted=tuple(planted),
        )
        root = Unit.objects.filter(parent=None).order_by("path").first()
        if root is not None:
            audit_record(
                actor=None,
                verb="demo.generate_posts",
                obj=root,
                after=summary.as_dict(),
                reason="演示稿件（确定性生成）",
                unit_path=root.path,
            )
    return summary


def _account_posts(
    profile: Profile,
    library: Library,
    writer: _Writer,
    end: datetime,
    planted: list[PlantedPost],
) -> datetime | None:
    """Write one account's posts; returns when it last published (None: not in the window)."""
    account, rng = profile.account, profile.rng
    issues = list(profile.schedule())
    composer = Composer(profile, library, len(issues))
    links = Links(account.platform, account.handle, rng)
    last: datetime | None = None
    for number, issue in enumerate(issues):
        links.issue()
        oa = account.platform == "wechat_oa"
        for position in range(1, issue.articles + 1):
            spot = position if oa else None
            draft = composer.draft(issue.at, spot, number)
            external_id, url = links.make(issue.at, spot)
            paragraphs = article_paragraphs(composer, draft, issue.at)
            post = _post(profile, draft, paragraphs, writer, issue.at, spot, external_id, url, end)
            writer.add(post, _snapshots(profile, draft, post, end))
            for kind, detail in draft.plants:
                planted.append(
                    PlantedPost(kind, account.platform, account.handle, external_id, detail)
                )
            if profile.style == ARTICLE and draft.kind == "original":
                library.offer(as_original(composer, draft, external_id, issue.at))
        last = issue.at
    return last


def _post(
    profile: Profile,
    draft: Draft,
    paragraphs: tuple[str, ...],
    writer: _Writer,
    when: datetime,
    position: int | None,
    external_id: str,
    url: str,
    end: datetime,
) -> dict[str, Any]:
    account = profile.account
    body_html = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    body_text = writer.body_text(paragraphs) if paragraphs else ""
    oa = account.platform == "wechat_oa"
    return {
        "id": writer.take_id(),
        "account_id": account.id,
        "owner_path": account.owner_path,
        "platform": account.platform,
        "external_id": external_id,
        "url": url,
        "title": draft.title,
        "author": profile.editors[0] if oa and draft.kind != "reprint" else "",
        "digest": paragraphs[0][:DIGEST_LENGTH].strip() if oa and paragraphs else "",
        "body_html": body_html,
        "body_text": body_text,
        "published_at": when,
        "position": position,
        "is_original": draft.is_original,
        "declared_source": draft.declared_source,
        "content_hash": content_hash(draft.title, body_text),
        "metrics_at": end,
        "source": SOURCE,
    }


def _snapshots(
    profile: Profile, draft: Draft, post: dict[str, Any], end: datetime
) -> list[dict[str, Any]]:
    """Set the post's numbers as of `end` and return its +1/+3/+7-day snapshots."""
    total = final_numbers(profile, profile.rng, appeal=draft.appeal, position=post["position"])
    published = post["published_at"]
    post.update(total.scaled(week_share(end - published)).as_dict())
    return [
        {"post_id": post["id"], "captured_at": at}
        | total.scaled(week_share(at - published)).as_dict()
        for at in snapshot_times(published, end)
    ]


def _followers(profile: Profile, writer: _Writer, end: datetime, days: int) -> None:
    account = profile.account
    if account.followers <= 0:
        return
    series = follower_series(
        account.followers, profile.rng, dormant=profile.dormant, end=end, days=days
    )
    for at, count in series:
        writer.followers.add({"account_id": account.id, "captured_at": at, "followers": count})


def _reset_sequences() -> None:
    """Posts were inserted with explicit ids; move PostgreSQL's sequence past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Post])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
