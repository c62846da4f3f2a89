"""Bulk import of units, accounts or grid groups from an .xlsx or .csv file.

The file streams row by row; each row is parsed, its references resolved, its record found or
created through the registry's services (which check the actor, validate and audit), each inside
its own savepoint so that a bad row leaves no trace. The whole import runs in one transaction:

- `all_or_nothing` (default): if any row has an error, the transaction is rolled back and nothing
  is written; the result lists every error, and the counts say what a corrected file would do.
- `valid_rows`: the good rows are kept, the bad rows reported.
- `dry_run`: everything is done as for real and then rolled back, so the counts and errors are
  exactly those of a real import (including rows that refer to units created earlier in the same
  file) and the database keeps nothing.

A problem with the file as a whole (format, encoding, headers) raises `ImportFileError` and nothing
is written, whatever the mode.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mediamatrix.orgs.access import Action, scope_roots
from mediamatrix.orgs.registry_io.columns import kind_spec
from mediamatrix.orgs.registry_io.readers import open_rows
from mediamatrix.orgs.registry_io.references import UnitResolver
from mediamatrix.orgs.registry_io.rows import HANDLERS, Outcome, RowError, RowInvalid

# The action a kind's rows need, besides Action.IMPORT.
KIND_ACTIONS = {
    "units": Action.EDIT_UNIT,
    "accounts": Action.EDIT_ACCOUNT,
    "grid_groups": Action.EDIT_GRID_GROUP,
}


class ImportMode(StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"
    VALID_ROWS = "valid_rows"


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, for a dry run or a refused all-or-nothing import, would do).

    `created`, `updated` and `unchanged` count the rows without errors, `rejected` the rows with
    at least one; `committed` says whether anything was saved.
    """

    kind: str
    mode: ImportMode
    dry_run: bool
    committed: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    errors: tuple[RowError, ...]
    ignored_columns: tuple[str, ...] = ()
    encoding: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> int:
        """Rows created or updated in the database (0 when nothing was committed)."""
        return self.created + self.updated if self.committed else 0


Progress = Callable[[int, int | None], None]


def registry_import(
    *,
    actor: Any,
    kind: str,
    file: IO[bytes],
    filename: str,
    mode: ImportMode | str = ImportMode.ALL_OR_NOTHING,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import the rows of `file` (binary, seekable) as `actor` (a user, or None for the system).

    Raises `ImportFileError` for an unreadable file and `PermissionDenied` when the actor may not
    import this kind anywhere; every other problem is a `RowError` in the result.
    """
    spec = kind_spec(kind)
    mode = ImportMode(mode)
    _check_actor(actor, spec.kind)
    source = open_rows(file, filename, spec)
    handler = HANDLERS[spec.kind](
        actor=actor,
        resolver=UnitResolver(),
        reason=_("批量导入：%(file)s") % {"file": filename},
    )
    counts = dict.fromkeys(Outcome, 0)
    errors: list[RowError] = []
    rejected = rows = 0
    with transaction.atomic():
        for number, cells in source:
            rows += 1
            try:
                with transaction.atomic():
                    counts[handler.apply(number, cells)] += 1
            except RowInvalid as invalid:
                errors.extend(invalid.errors)
                rejected += 1
            except IntegrityError as error:
                errors.append(RowError(number, "", _("与已有数据冲突：%s") % error))
                rejected += 1
            if progress is not None:
                progress(rows, source.size_hint)
        committed = not dry_run and (mode is ImportMode.VALID_ROWS or not errors)
        if not committed:
            transaction.set_rollback(True)
    return ImportResult(
        kind=spec.kind,
        mode=mode,
        dry_run=dry_run,
        committed=committed,
        rows=rows,
        created=counts[Outcome.CREATED],
        updated=counts[Outcome.UPDATED],
        unchanged=counts[Outcome.UNCHANGED],
        rejected=rejected,
        errors=tuple(errors),
        ignored_columns=source.ignored_columns,
        encoding=source.encoding,
    )


def _check_actor(actor: Any, kind: str) -> None:
    """Refuse at once an actor who could import no row of this kind anywhere."""
    if actor is None:
        return
    for action in (Action.IMPORT, KIND_ACTIONS[kind]):
        if scope_roots(actor, action) == []:
            raise PermissionDenied(
                _("您没有导入%(label)s的权限。") % {"label": kind_spec(kind).label}
            )
