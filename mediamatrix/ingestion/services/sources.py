"""Pull sources: pulling one now through its connector, recording success or backing off."""

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from mediamatrix.ingestion.choices import SourceState
from mediamatrix.ingestion.connectors import PullError, get
from mediamatrix.ingestion.models import ImportRun, Source
from mediamatrix.ingestion.services.posts import account_followers_record, posts_upsert
from mediamatrix.ingestion.services.runs import (
    import_run_create,
    import_run_fail,
    import_run_finish,
    import_run_start,
)

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
