"""Bulletins (通报): generate a new version for a scope and period, then build it in the background.

`bulletin_generate` checks the actor, adds the next version (an old version is never touched)
and enqueues `bulletin_build_task` once the row is committed. `bulletin_build` claims a queued
bulletin with a conditional UPDATE (two workers never build one bulletin), makes sure the
scores exist, builds the data, renders the .docx and .xlsx from the data alone, and writes them
under MEDIA_ROOT (outside the web root: downloads go through an access-checked view). Files are
written to a temporary name and renamed, and removed again if anything fails, so a failed
bulletin leaves no file behind.
"""

import logging
import os
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from mediamatrix.core.audit import audit_record
from mediamatrix.engines.indices import Period, PeriodKind, last_complete
from mediamatrix.indices.bulletins.data import (
    bulletin_data,
    bulletin_title,
    data_digest,
    rectify_by,
)
from mediamatrix.indices.bulletins.docx import render_docx
from mediamatrix.indices.bulletins.xlsx import render_xlsx
from mediamatrix.indices.choices import BulletinStatus
from mediamatrix.indices.models import Bulletin
from mediamatrix.indices.services.scores import scores_ensure
from mediamatrix.orgs.access import Action, access_object, is_system
from mediamatrix.orgs.choices import UnitKind, UnitLevel
from mediamatrix.orgs.models import Unit

logger = logging.getLogger(__name__)

# Issuing a bulletin names accounts and sets deadlines: it takes the right to manage the scope's
# accounts (admins and editors), not just to see them.
GENERATE = Action.EDIT_ACCOUNT
BULLETIN_KINDS: tuple[PeriodKind, ...] = ("week", "month", "quarter", "year", "custom")
DOCX = "docx"
XLSX = "xlsx"
CONTENT_TYPES = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def bulletin_generate(*, actor: Any, scope: Unit, period: Period) -> Bulletin:
    """Add the next version of the bulletin of `scope` over `period`, queued for building."""
    if not is_system(actor):
        access_object(actor, scope.path, GENERATE)
    if period.kind not in BULLETIN_KINDS:
        raise ValidationError(_("通报按周、月、季度、年或自定义区间生成。"))
    if period.end >= timezone.localdate():
        raise ValidationError(_("只能为已经结束的周期生成通报。"))
    with transaction.atomic():
        # Lock the scope's row so that two requests cannot both take the same next version.
        Unit.objects.select_for_update().filter(pk=scope.pk).first()
        latest = Bulletin.objects.filter(
            scope=scope, period_kind=period.kind, period_start=period.start, period_end=period.end
        ).aggregate(latest=Max("version"))["latest"]
        bulletin = Bulletin.objects.create(
            scope=scope,
            scope_path=scope.path,
            period_kind=period.kind,
            period_start=period.start,
            period_end=period.end,
            version=(latest or 0) + 1,
            title=bulletin_title(scope, period),
            created_by=None if is_system(actor) else actor,
            rectify_by=rectify_by(period, timezone.localdate()),
        )
        audit_record(
            actor=actor,
            verb="bulletin.generate",
            obj=bulletin,
            after={"period": period.key, "version": bulletin.version, "scope": scope.pk},
            unit_path=scope.path,
        )
        transaction.on_commit(partial(_enqueue, bulletin.pk))
    return bulletin


def _enqueue(bulletin_id: int) -> None:
    from mediamatrix.indices.tasks import bulletin_build_task

    bulletin_build_task.enqueue(bulletin_id)


def bulletin_build(bulletin: Bulletin) -> Bulletin:
    """Build a queued bulletin: data, documents, status. Never raises; a failure is recorded."""
    claimed = Bulletin.objects.filter(pk=bulletin.pk, status=BulletinStatus.QUEUED).update(
        status=BulletinStatus.RUNNING
    )
    if not claimed:
        bulletin.refresh_from_db()
        return bulletin
    written: list[Path] = []
    try:
        period = bulletin.period
        scores_ensure(period=period)
        scores_ensure(period=period.previous())
        data = bulletin_data(bulletin.scope, period)
        documents = bulletin_render(bulletin, data)  # both in memory before any file is written
        names = {kind: _relative_name(bulletin, kind) for kind in documents}
        for kind, content in documents.items():
            written.append(_write(names[kind], content))
        _finish(bulletin, data, names)
    except Exception as error:
        for path in written:
            path.unlink(missing_ok=True)
        _fail(bulletin, error)
    bulletin.refresh_from_db()
    return bulletin


def bulletin_render(bulletin: Bulletin, data: dict[str, Any] | None = None) -> dict[str, bytes]:
    """The .docx and .xlsx of a bulletin, from its stored data (or the data given)."""
    data = bulletin.data if data is None else data
    return {
        DOCX: render_docx(data, version=bulletin.version),
        XLSX: render_xlsx(data, version=bulletin.version),
    }


def bulletin_file_path(bulletin: Bulletin, kind: str) -> Path | None:
    """Where a built bulletin's document lies, or None when it has none."""
    name = {DOCX: bulletin.docx_file, XLSX: bulletin.xlsx_file}.get(kind, "")
    if not name:
        return None
    path = Path(settings.MEDIA_ROOT) / name
    return path if path.is_file() else None


def bulletins_scheduled(*, kind: PeriodKind) -> list[Bulletin]:
    """The scheduled bulletins of the last complete period of `kind`: one per city, unless one
    is already built or on its way."""
    period = last_complete(kind, timezone.localdate())
    made = []
    for scope in _scheduled_scopes():
        exists = (
            Bulletin.objects.filter(
                scope=scope,
                period_kind=period.kind,
                period_start=period.start,
                period_end=period.end,
            )
            .exclude(status=BulletinStatus.FAILED)
            .exists()
        )
        if not exists:
            made.append(bulletin_generate(actor=None, scope=scope, period=period))
    return made


def _scheduled_scopes() -> list[Unit]:
    """The cities (level 1, kind city; a province's too), else the roots of the tree. City
    departments share level 1 but are not issued bulletins of their own."""
    cities = list(Unit.objects.filter(level=UnitLevel.CITY, kind=UnitKind.CITY).order_by("path"))
    return cities or list(Unit.objects.filter(parent__isnull=True).order_by("path"))


# Building steps -------------------------------------------------------------------------------


def _relative_name(bulletin: Bulletin, kind: str) -> str:
    stem = f"{bulletin.period_kind}-{bulletin.period_start:%Y%m%d}-{bulletin.period_end:%Y%m%d}"
    return f"bulletins/{bulletin.scope_id}/{stem}-v{bulletin.version}-{bulletin.pk}.{kind}"


def _write(relative: str, content: bytes) -> Path:
    """Write to a temporary file beside the target, then rename: never a half-written file."""
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _finish(bulletin: Bulletin, data: dict[str, Any], names: dict[str, str]) -> None:
    digest = data_digest(data)
    with transaction.atomic():
        Bulletin.objects.filter(pk=bulletin.pk).update(
            status=BulletinStatus.DONE,
            title=data["title"],
            data=data,
            data_hash=digest,
            rectify_by=data["rectify"]["by"],  # the documents' deadline is the record's
            docx_file=names[DOCX],
            xlsx_file=names[XLSX],
            message="",
            finished_at=timezone.now(),
        )
        audit_record(
            actor=None,
            verb="bulletin.build",
            obj=bulletin,
            after={"data_hash": digest, "accounts": data["coverage"]["accounts"]},
            unit_path=bulletin.scope_path,
        )


def _fail(bulletin: Bulletin, error: Exception) -> None:
    logger.exception("bulletin %s failed", bulletin.pk)
    message = f"{type(error).__name__}: {error}"[:2000]
    Bulletin.objects.filter(pk=bulletin.pk).update(
        status=BulletinStatus.FAILED, message=message, finished_at=timezone.now()
    )
    audit_record(
        actor=None,
        verb="bulletin.failed",
        obj=bulletin,
        reason=message,
        unit_path=bulletin.scope_path,
    )
