"""Import runs: the record of every ingestion, its counts, its row errors and its audit event."""

from typing import Any

from django.utils import timezone

from mediamatrix.core.audit import audit_record
from mediamatrix.ingestion.choices import ImportStatus
from mediamatrix.ingestion.models import ImportRun
from mediamatrix.ingestion.records import RecordError
from mediamatrix.orgs.access import is_system

MAX_STORED_ERRORS = 1000


def import_run_create(
    *,
    actor: Any,
    connector: str,
    scope_path: str,
    filename: str = "",
    mode: str = "all_or_nothing",
    dry_run: bool = False,
    stored_file: str = "",
    source: Any = None,
) -> ImportRun:
    return ImportRun.objects.create(
        connector=connector,
        source=source,
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
