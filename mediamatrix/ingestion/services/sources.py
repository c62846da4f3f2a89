"""Pull sources: pulling one now through its connector, recording success or backing off."""

import logging
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

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
logger = logging.getLogger(__name__)


def source_backoff(failures: int) -> timedelta:
    """5, 10, 20, 40 … minutes after consecutive failures, at most six hours."""
    return min(BACKOFF_BASE * (1 << min(max(failures - 1, 0), 16)), BACKOFF_MAX)


def _pull_failed(
    source: Source, run: ImportRun, now: datetime, message: str, *, retryable: bool
) -> ImportRun:
    failures = source.consecutive_failures + 1
    Source.objects.filter(pk=source.pk).update(
        status=SourceState.ERROR,
        last_pulled_at=now,
        last_error=message,
        consecutive_failures=failures,
        next_pull_at=now + (source_backoff(failures) if retryable else timedelta(days=1)),
    )
    return import_run_fail(run, message=message)


def source_pull(*, source: Source, actor: Any = None, now: datetime | None = None) -> ImportRun:
    """Pull one source now: fetch through its connector, write, record success or failure."""
    now = now or timezone.now()
    connector = get(source.connector)
    if connector.pull is None:
        raise ValueError(f"connector {connector.name} cannot pull")
    run = import_run_create(
        actor=actor,
        connector=source.connector,
        scope_path=source.owner_path,
        filename=source.name,
        source=source,
    )
    import_run_start(run)
    try:
        pulled = connector.pull(source)
        result = posts_upsert(actor=None, records=pulled.records, source=source.connector, now=now)
    except PullError as error:
        return _pull_failed(source, run, now, str(error), retryable=error.retryable)
    except Exception as error:
        # Unexpected failures (a connector bug, a concurrent pull racing on the same posts) are
        # logged with their traceback but shown without details that could carry secrets.
        logger.exception("pull of source %s failed", source.pk)
        message = _("采集失败（%(kind)s），稍后自动重试。") % {"kind": type(error).__name__}
        return _pull_failed(source, run, now, message, retryable=True)
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
