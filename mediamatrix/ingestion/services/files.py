"""Importing posts and metrics from an Excel/CSV file as one ImportRun.

The file is read twice, streaming, so memory does not grow with its size:

1. **check** — every row is parsed and validated (accounts, the actor's right to write them,
   counts, dates, duplicates of a content id within the file); nothing is written. A dry run
   also asks `posts_upsert(write=False)` what each batch would do, and stops here.
2. **write** — inside ONE transaction, the rows are read again and written batch by batch
   through `posts_upsert`, the one write path. A crash or an error rolls everything back.

Modes: `all_or_nothing` (default) writes only when the check found no error; `valid_rows` writes
the rows without errors and reports the others. Re-importing the same file changes nothing:
posts are found by (account, content id) and metrics snapshot only when they move.

A problem with the file as a whole (empty, not a spreadsheet, no header, missing columns, no
account for a WeChat export) refuses the import with the reason as its one error.
"""

import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from mediamatrix.ingestion.choices import ImportMode
from mediamatrix.ingestion.files import (
    WECHAT_EXPORT,
    AccountResolver,
    FileProblem,
    RowMapper,
    Table,
    open_table,
)
from mediamatrix.ingestion.files.reader import SNIFF_CHUNK, sniff_suffix
from mediamatrix.ingestion.files.seen import SeenKeys
from mediamatrix.ingestion.models import ImportRun
from mediamatrix.ingestion.records import FieldError, PostRecord, RecordError
from mediamatrix.ingestion.services.posts import UpsertResult, posts_upsert
from mediamatrix.ingestion.services.runs import (
    MAX_STORED_ERRORS,
    import_run_create,
    import_run_fail,
    import_run_finish,
    import_run_start,
)
from mediamatrix.orgs.access import EVERYWHERE, Action, is_system, scope_roots
from mediamatrix.orgs.choices import Platform
from mediamatrix.orgs.models import Account

logger = logging.getLogger(__name__)

CONNECTOR = "file"
# Rows per `posts_upsert` call: larger batches share its per-call queries (the lookup of existing
# posts, one last-post time per account) among more rows; 2,500 was measurably faster than 1,000.
BATCH = 2500
PROGRESS_ROWS = 1000
# Long bodies make a batch heavy: it is written early once its text passes this size.
BATCH_CHARS = 1_000_000
# Callback for a progress bar: phase ("check" or "write"), rows done, rows in all (if known).
Progress = Callable[[str, int, int | None], None]
PHASE_MESSAGES = {"check": "正在检查文件", "write": "正在写入"}


@dataclass
class _Tally:
    """Counts of one import; keeps the first rows' errors, counts all of them."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected_rows: int = 0
    error_count: int = 0
    kept: list[RecordError] = field(default_factory=list)

    def reject(self, error: RecordError) -> None:
        self.rejected_rows += 1
        self.error_count += len(error.errors)
        if len(self.kept) < MAX_STORED_ERRORS:
            self.kept.append(error)

    def add(self, result: UpsertResult, mapper: RowMapper) -> list[RecordError]:
        rejected = []
        for item in result.items:
            if item.status == "rejected":
                named = tuple(
                    FieldError(mapper.layout.header_of(e.field), e.reason, e.value)
                    for e in item.errors
                )
                rejected.append(RecordError(item.origin, named))
            else:
                setattr(self, item.status, getattr(self, item.status) + 1)
        return rejected


class _Refused(Exception):
    """All-or-nothing: a batch was refused while writing; roll the transaction back."""

    def __init__(self, errors: list[RecordError]) -> None:
        super().__init__("refused")
        self.errors = errors


def posts_import_file(
    *,
    actor: Any,
    path: Path | str,
    filename: str,
    mode: str = ImportMode.ALL_OR_NOTHING,
    dry_run: bool = False,
    account: Account | None = None,
    run: ImportRun | None = None,
    progress: Progress | None = None,
) -> ImportRun:
    """Import the posts file at `path` as `actor` (a user, or None for the system).

    `account` is the account of rows that name none (a WeChat export names none at all). `run`
    is a queued run to carry out (a web upload); otherwise a new one is created. Returns the
    finished run: its counts, status and row errors say what happened.
    """
    mode = ImportMode(mode)
    if run is None:
        run = import_run_create(
            actor=actor,
            connector=CONNECTOR,
            scope_path=import_scope_path(actor, account),
            filename=filename,
            mode=mode,
            dry_run=dry_run,
        )
    import_run_start(run)
    reporter = _RunProgress(run, progress)
    table: Table | None = None
    try:
        table = open_table(Path(path), filename)
        resolver = AccountResolver(actor)
        _check_account(table, account, resolver)
        now = timezone.now()
        mapper = RowMapper(table.layout, table.keys, resolver, default_account=account, now=now)

        def reopen() -> Table:
            return open_table(Path(path), filename)

        return _import(run, table, mapper, mode, dry_run, reopen, reporter, now)
    except FileProblem as problem:
        return _refuse(run, problem)
    except Exception as error:
        logger.exception("import run %s failed", run.pk)
        import_run_fail(run, message=_("导入中断：%(error)s") % {"error": error})
        raise
    finally:
        if table is not None:
            table.close()
        reporter.close()


def import_scope_path(actor: Any, account: Account | None) -> str:
    """Where a file import is seen: the chosen account's owner, else the actor's first subtree."""
    if account is not None:
        return account.owner_path
    if is_system(actor):
        return ""
    roots = scope_roots(actor, Action.IMPORT)
    if roots is EVERYWHERE or not roots:
        return ""
    return sorted(roots)[0]


def _check_account(table: Table, account: Account | None, resolver: AccountResolver) -> None:
    if account is not None and not resolver.may_write(account):
        raise FileProblem(_("所选账号不存在或不在您的管理范围内。"), column=_("账号"))
    if table.layout is WECHAT_EXPORT:
        if account is None:
            raise FileProblem(
                _(
                    "这是微信公众号后台导出的文件，文件中没有账号：请在导入时选择这些稿件所属的账号。"
                ),
                row=table.header_row,
                column=_("账号"),
            )
        if account.platform != Platform.WECHAT_OA:
            raise FileProblem(
                _("这是微信公众号后台导出的文件，但所选账号“%(name)s”不是微信公众号。")
                % {"name": account.name},
                column=_("账号"),
            )
        return
    named = set(table.keys.values())
    if account is None and "account_id" not in named and not {"platform", "handle"} <= named:
        raise FileProblem(
            _(
                "缺少账号列：请填写“账号平台”和“平台账号”两列（或“账号ID”一列），或在导入时选择账号。"
            ),
            row=table.header_row,
            column=_("平台账号"),
        )


def _import(
    run: ImportRun,
    table: Table,
    mapper: RowMapper,
    mode: ImportMode,
    dry_run: bool,
    reopen: Callable[[], Table],
    reporter: "_RunProgress",
    now: datetime,
) -> ImportRun:
    actor = mapper.resolver.actor
    checked = _Tally()
    for batch in _valid_batches(table, mapper, checked, reporter, "check", table.rows_estimate):
        if dry_run:
            result = posts_upsert(
                actor=actor, records=batch, source=CONNECTOR, now=now, write=False
            )
            for error in checked.add(result, mapper):
                checked.reject(error)
    notes = _notes(table)
    if not checked.rows:
        raise FileProblem(_("文件中没有数据行。"), row=table.header_row + 1)
    if dry_run:
        return _finish(run, checked, committed=False, message=notes)
    if checked.rejected_rows and mode == ImportMode.ALL_OR_NOTHING:
        return _finish(run, checked, committed=False, message=_("有错误，未导入任何数据。") + notes)
    if checked.rows == checked.rejected_rows:
        return _finish(run, checked, committed=False, message=_("没有可导入的行。") + notes)
    written = _Tally()
    second = reopen()
    try:
        with transaction.atomic():
            for batch in _valid_batches(second, mapper, written, reporter, "write", checked.rows):
                result = posts_upsert(actor=actor, records=batch, source=CONNECTOR, now=now)
                late = written.add(result, mapper)
                if late and mode == ImportMode.ALL_OR_NOTHING:
                    raise _Refused(late)
                for error in late:
                    written.reject(error)
            if written.rejected_rows and mode == ImportMode.ALL_OR_NOTHING:
                raise _Refused(written.kept)  # the file or the registry changed since the check
    except _Refused as refused:
        for error in refused.errors:
            checked.reject(error)
        message = _("写入时有行被拒绝，未导入任何数据。") + notes
        return _finish(run, checked, committed=False, message=message)
    finally:
        second.close()
    return _finish(run, written, committed=True, message=notes)


def _valid_batches(
    table: Table,
    mapper: RowMapper,
    tally: _Tally,
    reporter: "_RunProgress",
    phase: str,
    total: int | None,
) -> Any:
    """Yield the valid records in batches; count rows, record errors and duplicate ids."""
    seen = SeenKeys()
    batch: list[PostRecord] = []
    batch_chars = 0
    for row in table:
        tally.rows += 1
        mapped = mapper.map(row)
        if mapped.record is None:
            tally.reject(RecordError(row.number, mapped.errors))
        elif (first := seen.first_row(mapped.key, row.number)) is not None:
            reason = _("与第%(row)d行重复：同一账号的同一内容在文件中出现了两次。") % {"row": first}
            header = mapper.layout.header_of(
                "external_id" if mapper.layout.has_external_id else "title"
            )
            tally.reject(
                RecordError(row.number, (FieldError(header, reason, mapped.record.external_id),))
            )
        else:
            record = mapped.record
            batch.append(record)
            batch_chars += len(record.body_html) + len(record.digest) + len(record.title)
            if len(batch) >= BATCH or batch_chars >= BATCH_CHARS:
                yield batch
                batch, batch_chars = [], 0
        if tally.rows % PROGRESS_ROWS == 0:
            reporter(phase, tally.rows, total)
    if batch:
        yield batch
    reporter(phase, tally.rows, tally.rows)


def _notes(table: Table) -> str:
    notes = [
        _("格式：%(layout)s；编码：%(encoding)s。")
        % {"layout": table.layout.label, "encoding": table.encoding_label}
    ]
    if table.ignored_columns:
        notes.append(
            _("未识别的列（已忽略）：%(columns)s。") % {"columns": "、".join(table.ignored_columns)}
        )
    return "".join(notes)


def _finish(run: ImportRun, tally: _Tally, *, committed: bool, message: str) -> ImportRun:
    if run.rows_total != tally.rows:
        run.rows_total = tally.rows
        ImportRun.objects.filter(pk=run.pk).update(rows_total=tally.rows)
    counts = (
        (tally.created, tally.updated, tally.unchanged) if committed or run.dry_run else (0, 0, 0)
    )
    run = import_run_finish(
        run,
        created=counts[0],
        updated=counts[1],
        unchanged=counts[2],
        rejected=tally.kept,
        committed=committed,
        message=message,
    )
    if run.rejected != tally.rejected_rows or run.error_count != tally.error_count:
        # Only the first rows' errors are kept; the counts stay exact.
        run.rejected, run.error_count = tally.rejected_rows, tally.error_count
        ImportRun.objects.filter(pk=run.pk).update(
            rejected=run.rejected, error_count=run.error_count
        )
    return run


def _refuse(run: ImportRun, problem: FileProblem) -> ImportRun:
    error = RecordError(problem.row, (FieldError(problem.column, problem.message),))
    run.rows_total = 0
    return import_run_finish(
        run,
        created=0,
        updated=0,
        unchanged=0,
        rejected=[error],
        committed=False,
        message=problem.message,
    )


# Uploads and re-runs ------------------------------------------------------------------------

UPLOAD_DIR = "imports"


def import_upload(
    *,
    actor: Any,
    upload: UploadedFile[bytes],
    mode: str = ImportMode.ALL_OR_NOTHING,
    dry_run: bool = False,
    account: Account | None = None,
) -> ImportRun:
    """Store an uploaded file under MEDIA_ROOT/imports, queue its import and return the run.

    Refuses at once (`FileProblem`) an empty or oversized file and one whose content is neither
    text nor .xlsx; the rest is the background task's work (immediate in tests).
    """
    if scope_roots(actor, Action.IMPORT) == []:
        raise PermissionDenied
    if account is not None and not AccountResolver(actor).may_write(account):
        raise FileProblem(_("所选账号不存在或不在您的管理范围内。"), column=_("账号"))
    limit = settings.MEDIAMATRIX_IMPORT_MAX_BYTES
    size = upload.size or 0
    if size == 0:
        raise FileProblem(_("文件是空的。"))
    if size > limit:
        raise FileProblem(
            _("文件太大（%(size)s），上限为 %(limit)s。请拆分成几个文件分别导入。")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    upload.seek(0)
    suffix = sniff_suffix(upload.read(SNIFF_CHUNK), upload.name or "")
    upload.seek(0)
    stored = f"{UPLOAD_DIR}/{uuid.uuid4().hex}{suffix}"
    target = Path(settings.MEDIA_ROOT) / stored
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    _sidecar(target).write_text(json.dumps({"account_id": account.pk if account else None}))
    run = import_run_create(
        actor=actor,
        connector=CONNECTOR,
        scope_path=import_scope_path(actor, account),
        filename=upload.name or stored,
        mode=ImportMode(mode),
        dry_run=dry_run,
        stored_file=stored,
    )
    return _enqueue(run)


def import_run_rerun(*, actor: Any, run: ImportRun, mode: str, dry_run: bool = False) -> ImportRun:
    """Import a stored upload again, as a new run, with the same or another mode."""
    if run.connector != CONNECTOR or not run.stored_file:
        raise FileProblem(_("这次导入没有保存的文件，无法重新导入。"))
    if not (Path(settings.MEDIA_ROOT) / run.stored_file).exists():
        raise FileProblem(_("保存的文件已不存在，请重新上传。"))
    again = import_run_create(
        actor=actor,
        connector=CONNECTOR,
        scope_path=run.scope_path,
        filename=run.filename,
        mode=ImportMode(mode),
        dry_run=dry_run,
        stored_file=run.stored_file,
    )
    return _enqueue(again)


def posts_import_stored(*, run: ImportRun) -> ImportRun:
    """Carry out a queued run on its stored file (the background task's body)."""
    path = Path(settings.MEDIA_ROOT) / run.stored_file
    if not run.stored_file or not path.exists():
        return import_run_fail(run, message=_("保存的文件已不存在，请重新上传。"))
    if run.actor is None:
        # Uploads always have a user; one deleted since must not turn into a system import.
        return import_run_fail(run, message=_("提交导入的用户已不存在。"))
    account = None
    sidecar = _sidecar(path)
    if sidecar.exists():
        account_id = json.loads(sidecar.read_text()).get("account_id")
        account = Account.objects.filter(pk=account_id).first() if account_id else None
    return posts_import_file(
        actor=run.actor,
        path=path,
        filename=run.filename,
        mode=run.mode,
        dry_run=run.dry_run,
        account=account,
        run=run,
    )


def stored_account_id(run: ImportRun) -> int | None:
    """The account chosen when the run's file was uploaded, if any."""
    sidecar = _sidecar(Path(settings.MEDIA_ROOT) / run.stored_file)
    if not run.stored_file or not sidecar.exists():
        return None
    value = json.loads(sidecar.read_text()).get("account_id")
    return int(value) if value is not None else None


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _enqueue(run: ImportRun) -> ImportRun:
    from mediamatrix.ingestion.tasks import posts_import_file_task

    # The run row is committed before the task can look for it: views run in autocommit, and the
    # database queue's own row commits with it inside a transaction.
    posts_import_file_task.enqueue(run.pk)
    run.refresh_from_db()
    return run


class _RunProgress:
    """Stores a run's progress where other requests can read it while the import runs.

    Inside the write transaction an UPDATE of the run would stay invisible until the commit, so
    on PostgreSQL progress goes through a connection of its own. SQLite allows one writer at a
    time: there the write phase reports to the callback only.
    """

    def __init__(self, run: ImportRun, callback: Progress | None) -> None:
        self.run = run
        self.callback = callback
        self._side: Any = None

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if self.callback is not None:
            self.callback(phase, done, total)
        self.run.rows_done, self.run.rows_total = done, total
        values = {"rows_done": done, "rows_total": total, "message": PHASE_MESSAGES[phase]}
        if not connection.in_atomic_block:
            ImportRun.objects.filter(pk=self.run.pk).update(**values)
        elif connection.vendor != "sqlite":
            self._update_aside(values)

    def _update_aside(self, values: dict[str, Any]) -> None:
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        quote = self._side.ops.quote_name
        assignments = ", ".join(f"{quote(name)} = %s" for name in values)
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(ImportRun._meta.db_table)} SET {assignments} WHERE id = %s",
                [*values.values(), self.run.pk],
            )

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None
