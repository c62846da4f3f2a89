"""The one write path for posts and metrics, whatever the connector.

`posts_upsert` takes validated-or-not `PostRecord`s for any accounts, checks that the actor may
write each account's data, and writes in one transaction per call: new posts inserted, changed
ones updated, a metric snapshot only where the numbers moved, latest values kept on the post, the
account's last publication time advanced. It is idempotent: the same records twice change nothing.
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mediamatrix.engines.text import normalize
from mediamatrix.ingestion.connectors import AccountFollowers
from mediamatrix.ingestion.events import posts_rewritten, posts_written
from mediamatrix.ingestion.models import (
    METRIC_FIELDS,
    AccountSnapshot,
    MetricSnapshot,
    Post,
)
from mediamatrix.ingestion.records import FieldError, PostRecord, RecordError, validate_record
from mediamatrix.orgs.access import Action, can, can_unowned, is_system
from mediamatrix.orgs.models import Account

POST_FIELDS = (
    "url",
    "title",
    "author",
    "digest",
    "body_html",
    "body_text",
    "published_at",
    "position",
    "is_original",
    "declared_source",
    "content_hash",
)
MAX_STORED_ERRORS = 1000


@dataclass(frozen=True)
class ItemResult:
    origin: int | None
    status: str  # created, updated, unchanged, rejected
    post_id: int | None = None
    errors: tuple[FieldError, ...] = ()


@dataclass
class UpsertResult:
    items: list[ItemResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def rejected(self) -> list[RecordError]:
        return [RecordError(i.origin, i.errors) for i in self.items if i.status == "rejected"]


def content_hash(title: str, body_text: str) -> str:
    return hashlib.sha256(f"{title.strip()}\n{body_text.strip()}".encode()).hexdigest()


def _may_write(actor: Any, account: Account) -> bool:
    if is_system(actor):
        return True
    if not account.owner_path:
        return can_unowned(actor, Action.IMPORT)
    return can(actor, account.owner_path, Action.IMPORT)


def _post_values(record: PostRecord) -> dict[str, Any]:
    body_text = normalize(record.body_html, html=True).text if record.body_html else ""
    return {
        "url": record.url,
        "title": record.title.strip(),
        "author": record.author.strip(),
        "digest": record.digest.strip(),
        "body_html": record.body_html,
        "body_text": body_text,
        "published_at": record.published_at,
        "position": record.position,
        "is_original": record.is_original,
        "declared_source": record.declared_source.strip(),
        "content_hash": content_hash(record.title, body_text),
    }


def posts_upsert(
    *,
    actor: Any,
    records: Sequence[PostRecord],
    source: str,
    now: datetime | None = None,
    write: bool = True,
) -> UpsertResult:
    """Insert or update posts and their metrics. `write=False` computes the result only."""
    now = now or timezone.now()
    accounts = Account.objects.in_bulk({r.account_id for r in records})
    keys = {(r.account_id, r.external_id) for r in records}
    existing: dict[tuple[int, str], Post] = {}
    if keys:
        by_account: dict[int, list[str]] = {}
        for account_id, external_id in keys:
            by_account.setdefault(account_id, []).append(external_id)
        condition = Q(pk__in=[])
        for account_id, external_ids in by_account.items():
            condition |= Q(account_id=account_id, external_id__in=external_ids)
        existing = {(p.account_id, p.external_id): p for p in Post.objects.filter(condition)}

    outcomes: list[tuple[PostRecord, str, Post | None, tuple[FieldError, ...]]] = []
    to_create: list[Post] = []
    to_update: list[Post] = []
    snapshots: list[tuple[Post, dict[str, int], datetime]] = []
    rewritten: list[Post] = []  # new posts and posts whose title or text changed
    seen: set[tuple[int, str]] = set()
    for record in records:
        account = accounts.get(record.account_id)
        if account is None or not _may_write(actor, account):
            denied = FieldError("account", _("账号不存在或不在您的管理范围内。"))
            outcomes.append((record, "rejected", None, (denied,)))
            continue
        errors = validate_record(record, now=now)
        key = (record.account_id, record.external_id)
        if key in seen:
            errors.append(FieldError("external_id", _("同一批数据中重复。"), record.external_id))
        if errors:
            outcomes.append((record, "rejected", None, tuple(errors)))
            continue
        seen.add(key)
        values = _post_values(record)
        post = existing.get(key)
        if post is None:
            post = Post(
                account=account,
                owner_path=account.owner_path,
                platform=account.platform,
                external_id=record.external_id,
                source=source,
                **values,
            )
            to_create.append(post)
            status = "created"
            rewritten.append(post)
        elif any(getattr(post, name) != value for name, value in values.items()):
            if post.content_hash != values["content_hash"]:
                rewritten.append(post)
            for name, value in values.items():
                setattr(post, name, value)
            to_update.append(post)
            status = "updated"
        else:
            status = "unchanged"
        if record.metrics is not None:
            numbers = record.metrics.as_dict()
            captured = record.captured_at or now
            moved = any(getattr(post, name) != numbers[name] for name in METRIC_FIELDS)
            newer = post.metrics_at is None or captured >= post.metrics_at
            if moved and newer:
                snapshots.append((post, numbers, captured))
                if status == "unchanged":
                    to_update.append(post)
                    status = "updated"
        outcomes.append((record, status, post, ()))
    if write:
        _write(to_create, to_update, snapshots)
        _announce(rewritten)
    # Items carry the post's id once written (None on a dry run of a new post).
    return UpsertResult(
        [
            ItemResult(record.origin, status, post.pk if post is not None else None, errors)
            for record, status, post, errors in outcomes
        ]
    )


def _announce(posts: list[Post]) -> None:
    """Tell the apps above (content checks) which posts have new text, once it is committed."""
    ids = [post.pk for post in posts if post.pk is not None]
    if ids:
        transaction.on_commit(lambda: posts_rewritten.send(sender=Post, post_ids=ids))


def _write(
    to_create: list[Post],
    to_update: list[Post],
    snapshots: list[tuple[Post, dict[str, int], datetime]],
) -> None:
    with transaction.atomic():
        for post, numbers, captured in snapshots:
            for name, value in numbers.items():
                setattr(post, name, value)
            post.metrics_at = captured
        Post.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            Post.objects.bulk_update(
                to_update,
                [*POST_FIELDS, *METRIC_FIELDS, "metrics_at", "updated_at"],
                batch_size=500,
            )
        MetricSnapshot.objects.bulk_create(
            [
                MetricSnapshot(post=post, captured_at=at, **numbers)
                for post, numbers, at in snapshots
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
        written = {post.pk for post in [*to_create, *to_update]}
        written.update(post.pk for post, _, _ in snapshots)
        if written:
            posts_written.send(sender=Post, post_ids=sorted(written))
        latest: dict[int, datetime] = {}
        for post in [*to_create, *to_update]:
            when = post.published_at
            if post.account_id not in latest or when > latest[post.account_id]:
                latest[post.account_id] = when
        for account_id, when in latest.items():
            Account.objects.filter(pk=account_id).filter(
                Q(last_post_at__isnull=True) | Q(last_post_at__lt=when)
            ).update(last_post_at=when)


def account_followers_record(
    *, followers: Iterable[AccountFollowers], captured_at: datetime | None = None
) -> int:
    """Store follower counts (one snapshot per account and time) and keep the latest on Account."""
    at = captured_at or timezone.now()
    rows = [
        AccountSnapshot(account_id=f.account_id, captured_at=at, followers=f.followers)
        for f in followers
    ]
    with transaction.atomic():
        AccountSnapshot.objects.bulk_create(rows, ignore_conflicts=True)
        for row in rows:
            Account.objects.filter(pk=row.account_id).update(followers=row.followers)
    return len(rows)
