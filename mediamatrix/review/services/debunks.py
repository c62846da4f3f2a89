"""Filling the debunk library (辟谣库) from CSV files and ClaimReview JSON.

All or nothing by default: a file with a bad row imports nothing and every problem is reported
with its row (or item), field and reason; with `valid_rows` the good rows go in and the bad ones
are reported. An entry whose claim and text are already in the library is not added twice.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from mediamatrix.core.audit import audit_record
from mediamatrix.engines.checks.rumours import DebunkError, read_debunk_file
from mediamatrix.orgs.access import Action, is_system, scope_roots
from mediamatrix.review.models import Debunk


@dataclass(frozen=True)
class DebunkImport:
    created: int
    duplicates: int
    errors: tuple[DebunkError, ...]
    written: bool


def debunks_import(
    *, actor: Any, name: str, data: bytes, valid_rows: bool = False, dry_run: bool = False
) -> DebunkImport:
    """Read a debunk file and add its entries. The library is shared by every unit (a debunk is
    a published fact, not a decision about anyone): any reviewer or admin may add to it."""
    if not is_system(actor) and scope_roots(actor, Action.REVIEW) == []:
        raise PermissionDenied
    read = read_debunk_file(name, data)
    if read.errors and not valid_rows:
        return DebunkImport(0, 0, read.errors, written=False)
    known = set(Debunk.objects.values_list("claim", "debunk_text"))
    fresh = [d for d in read.debunks if (d.claim, d.text) not in known]
    duplicates = len(read.debunks) - len(fresh)
    if dry_run:
        return DebunkImport(len(fresh), duplicates, read.errors, written=False)
    with transaction.atomic():
        rows = Debunk.objects.bulk_create(
            [
                Debunk(
                    claim=d.claim,
                    debunk_text=d.text,
                    source=d.source,
                    url=d.url,
                    published_on=d.date,
                    tags=list(d.tags),
                    created_by=None if is_system(actor) else actor,
                )
                for d in fresh
            ]
        )
        if rows:
            audit_record(
                actor=actor,
                verb="debunks_import",
                obj=rows[0],
                after={"file": name, "created": len(rows), "duplicates": duplicates},
            )
    return DebunkImport(len(fresh), duplicates, read.errors, written=True)
