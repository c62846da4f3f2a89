"""Background work of ingestion: scheduled pulls of every due source."""

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from mediamatrix.core.schedule import periodic

CLAIM_FOR = timedelta(minutes=30)


@task()
def source_pull_task(source_id: int) -> str:
    from mediamatrix.ingestion.models import Source
    from mediamatrix.ingestion.services import source_pull

    source = Source.objects.filter(pk=source_id, enabled=True).first()
    if source is None:
        return "skipped"
    return source_pull(source=source).status


@periodic("*/5 * * * *")
@task()
def pull_due_sources_task() -> int:
    """Enqueue a pull for every enabled source whose time has come (failures back off)."""
    from mediamatrix.ingestion.models import Source

    now = timezone.now()
    due = Source.objects.filter(enabled=True, next_pull_at__lte=now).values_list("pk", flat=True)
    enqueued = 0
    for source_id in list(due):
        # Claim the source first so a slow pull is not queued again by the next tick.
        claimed = Source.objects.filter(pk=source_id, next_pull_at__lte=now).update(
            next_pull_at=now + CLAIM_FOR
        )
        if claimed:
            source_pull_task.enqueue(source_id)
            enqueued += 1
    return enqueued


@task()
def posts_import_file_task(run_id: int) -> str:
    """Carry out a queued file import (a web upload or a re-run) and return its status."""
    from mediamatrix.ingestion.models import ImportRun
    from mediamatrix.ingestion.services.files import posts_import_stored

    run = ImportRun.objects.select_related("actor").filter(pk=run_id).first()
    if run is None:
        return "missing"
    return str(posts_import_stored(run=run).status)
