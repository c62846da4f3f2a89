"""The one write path for posts and metrics, whatever the connector.

`posts_upsert` takes validated-or-not `PostRecord`s for any accounts, checks that the actor may
write each account's data, and writes in one transaction per call: new posts inserted, changed
ones updated, a metric snapshot only where the numbers moved, latest values kept on the post, the
account's last publication time advanced. It is idempotent: the same records twice change nothing.
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mediamatrix.core.audit import audit_record
from mediamatrix.engines.text import normalize
from mediamatrix.ingestion.choices import ImportStatus, SourceState
from mediamatrix.ingestion.connectors import AccountFollowers, PullError, get
from mediamatrix.ingestion.models import (
    METRIC_FIELDS,
    AccountSnapshot,
    ImportRun,
    MetricSnapshot,
    Post,
    Source,
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
        elif any(getattr(post, name) != value for name, value in values.items()):
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
    # Items carry the post's id once written (None on a dry run of a new post).
    return UpsertResult(
        [
            ItemResult(record.origin, status, post.pk if post is not None else None, errors)
            for record, status, post, errors in outcomes
        ]
    )


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


# Import runs ---------------------------------------------------------------------------------


def import_run_create(
    *,
    actor: Any,
    connector: str,
    scope_path: str,
    filename: str = "",
    mode: str = "all_or_nothing",
    dry_run: bool = False,
    stored_file: str = "",
) -> ImportRun:
    return ImportRun.objects.create(
        connector=connector,
        actor=actor if not is_system(actor) else None,
        scope_path=scope_path,
        filename=filename[:255],
        stored_file=stored_file,
        mode=mode,
        dry_run=dry_run,
    )


def import_run_start(run: ImportRun, *, rows_total: int | None = None) -> None:
    run.status = ImportStatus.RUNNING
    run.started_at = timezone.now()
    run.rows_total = rows_total
    run.save(update_fields=["status", "started_at", "rows_total"])


def import_run_progress(run: ImportRun, *, rows_done: int) -> None:
    ImportRun.objects.filter(pk=run.pk).update(rows_done=rows_done)
    run.rows_done = rows_done


def import_run_finish(
    run: ImportRun,
    *,
    created: int,
    updated: int,
    unchanged: int,
    rejected: list[RecordError],
    committed: bool,
    message: str = "",
) -> ImportRun:
    """Close a run with its counts and (up to MAX_STORED_ERRORS) row errors, and audit it."""
    errors = [
        {"row": e.origin, "field": f.field, "reason": f.reason, "value": f.value}
        for e in rejected
        for f in e.errors
    ]
    if run.dry_run:
        status = ImportStatus.DRY_RUN
    elif not committed:
        status = ImportStatus.REJECTED
    elif rejected:
        status = ImportStatus.PARTIAL
    else:
        status = ImportStatus.SUCCEEDED
    run.created, run.updated, run.unchanged = created, updated, unchanged
    run.rejected = len(rejected)
    run.errors = errors[:MAX_STORED_ERRORS]
    run.error_count = len(errors)
    run.status = status
    run.finished_at = timezone.now()
    run.message = message
    if run.rows_total is None:
        run.rows_total = created + updated + unchanged + len(rejected)
    run.rows_done = run.rows_total
    run.save()
    audit_record(
        actor=run.actor,
        verb=f"import_run.{status}",
        obj=run,
        after={
            "connector": run.connector,
            "filename": run.filename,
            "created": created,
            "updated": updated,
            "unchanged": unchanged,
            "rejected": len(rejected),
        },
        unit_path=run.scope_path,
    )
    return run


def import_run_fail(run: ImportRun, *, message: str) -> ImportRun:
    run.status = ImportStatus.FAILED
    run.finished_at = timezone.now()
    run.message = message
    run.save(update_fields=["status", "finished_at", "message"])
    audit_record(
        actor=run.actor, verb="import_run.failed", obj=run, reason=message, unit_path=run.scope_path
    )
    return run


# Pull sources --------------------------------------------------------------------------------

BACKOFF_BASE = timedelta(minutes=5)
BACKOFF_MAX = timedelta(hours=6)


def source_backoff(failures: int) -> timedelta:
    """5, 10, 20, 40 … minutes after consecutive failures, at most six hours."""
    return min(BACKOFF_BASE * (1 << min(max(failures - 1, 0), 16)), BACKOFF_MAX)


def source_pull(*, source: Source, actor: Any = None, now: datetime | None = None) -> ImportRun:
    """Pull one source now: fetch through its connector, write, record success or failure."""
    now = now or timezone.now()
    connector = get(source.connector)
    if connector.pull is None:
        raise ValueError(f"connector {connector.name} cannot pull")
    run = import_run_create(
        actor=actor, connector=source.connector, scope_path=source.owner_path, filename=source.name
    )
    import_run_start(run)
    try:
        pulled = connector.pull(source)
    except PullError as error:
        failures = source.consecutive_failures + 1
        Source.objects.filter(pk=source.pk).update(
            status=SourceState.ERROR,
            last_pulled_at=now,
            last_error=str(error),
            consecutive_failures=failures,
            next_pull_at=now + (source_backoff(failures) if error.retryable else timedelta(days=1)),
        )
        return import_run_fail(run, message=str(error))
    result = posts_upsert(actor=None, records=pulled.records, source=source.connector, now=now)
    if pulled.followers:
        account_followers_record(followers=pulled.followers, captured_at=now)
    Source.objects.filter(pk=source.pk).update(
        status=SourceState.OK,
        last_pulled_at=now,
        last_success_at=now,
        last_error="",
        consecutive_failures=0,
        next_pull_at=now + timedelta(minutes=source.interval_minutes),
        **({"state": pulled.state} if pulled.state is not None else {}),
    )
    return import_run_finish(
        run,
        created=result.count("created"),
        updated=result.count("updated"),
        unchanged=result.count("unchanged"),
        rejected=result.rejected,
        committed=True,
        message=pulled.message,
    )
