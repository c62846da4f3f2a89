"""The push connector: clients send batches of posts with metrics to `POST /api/v1/posts/batch`.

`push_batch` drives one batch through the shared write path and records it as an import run, so
pushes appear in the import history beside file uploads and pulls. Items are judged one by one;
by default the valid ones are written whatever happens to the others, and with `atomic=True` one
rejected item means nothing is written. See docs/ingestion/push-api.md.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mediamatrix.core.tree import SEGMENT_WIDTH
from mediamatrix.ingestion.choices import ImportMode
from mediamatrix.ingestion.connectors import Connector, register
from mediamatrix.ingestion.models import METRIC_FIELDS, ImportRun
from mediamatrix.ingestion.records import FieldError, PostRecord, RecordError
from mediamatrix.ingestion.services import (
    ItemResult,
    import_run_create,
    import_run_fail,
    import_run_finish,
    import_run_start,
    posts_upsert,
)
from mediamatrix.orgs.access import EVERYWHERE, Action, is_system, scope_roots

NAME = "push"
# Skipped: valid, but not written because an atomic batch had a rejected item.
SKIPPED = "skipped"

register(
    Connector(
        name=NAME,
        # Lazy: translated when shown.
        label=cast(str, gettext_lazy("接口推送")),
        kind="push",
        docs=cast(
            str,
            gettext_lazy(
                "业务系统用接口令牌调用 POST /api/v1/posts/batch，每次最多 1000 条稿件及数据；"
                "按“账号 + 平台内容ID”幂等，重复推送不会产生重复稿件或数据快照。"
            ),
        ),
    )
)


@dataclass(frozen=True)
class PushOutcome:
    items: list[ItemResult]  # one per pushed item, in the order of their origins
    written: bool  # False when an atomic batch was refused
    run: ImportRun | None  # None for an empty batch

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)


def request_field(name: str) -> str:
    """The request's name for a record field: the counters sit under `metrics`."""
    return f"metrics.{name}" if name in METRIC_FIELDS else name


def _renamed(item: ItemResult) -> ItemResult:
    if not item.errors:
        return item
    errors = tuple(FieldError(request_field(e.field), e.reason, e.value) for e in item.errors)
    return ItemResult(item.origin, item.status, item.post_id, errors)


def run_scope(roots: list[str] | None) -> str:
    """Where a push run is visible: the narrowest unit covering every subtree the actor imports to."""
    if roots is EVERYWHERE or not roots:
        return ""
    common = roots[0]
    for root in roots[1:]:
        while not root.startswith(common):
            common = common[:-SEGMENT_WIDTH]
    return common


def push_batch(
    *,
    actor: Any,
    items: Sequence[PostRecord | RecordError],
    atomic: bool = False,
    now: datetime | None = None,
) -> PushOutcome:
    """Write a batch: records are upserted, `RecordError`s (items that did not parse) rejected.

    Raises PermissionDenied when the actor may import nowhere; otherwise each item whose account
    is unknown or out of the actor's reach is rejected on its own, with the same message.
    """
    roots = scope_roots(actor, Action.IMPORT)
    if not is_system(actor) and roots is not EVERYWHERE and not roots:
        raise PermissionDenied(_("您的角色不能推送数据：需要编辑或管理员角色。"))
    if not items:
        return PushOutcome([], written=True, run=None)
    records = [item for item in items if isinstance(item, PostRecord)]
    unparsed = [item for item in items if isinstance(item, RecordError)]
    run = import_run_create(
        actor=actor,
        connector=NAME,
        scope_path=run_scope(roots),
        mode=ImportMode.ALL_OR_NOTHING if atomic else ImportMode.VALID_ROWS,
    )
    import_run_start(run, rows_total=len(items))
    try:
        with transaction.atomic():
            # An atomic batch already refused need not touch the tables.
            write = not (atomic and unparsed)
            result = posts_upsert(actor=actor, records=records, source=NAME, now=now, write=write)
            refused = atomic and bool(unparsed or result.rejected)
            if refused and write:
                transaction.set_rollback(True)
    except Exception as error:
        import_run_fail(run, message=str(error))
        raise
    outcome = [ItemResult(e.origin, "rejected", None, e.errors) for e in unparsed]
    for item in result.items:
        outcome.append(ItemResult(item.origin, SKIPPED) if refused and not item.errors else item)
    outcome = sorted(
        (_renamed(i) for i in outcome), key=lambda i: -1 if i.origin is None else i.origin
    )
    rejected = [RecordError(i.origin, i.errors) for i in outcome if i.status == "rejected"]
    accepted = len(outcome) - len(rejected)
    pushed = PushOutcome(outcome, written=not refused, run=run)
    import_run_finish(
        run,
        created=pushed.count("created"),
        updated=pushed.count("updated"),
        unchanged=pushed.count("unchanged"),
        rejected=rejected,
        committed=not refused and accepted > 0,
        message=(
            _("%(count)d 条被拒绝；整批（atomic）未写入。") % {"count": len(rejected)}
            if refused
            else ""
        ),
    )
    return pushed
