"""Keeping each post's settled metrics (`SettledMetrics`) in step with its snapshots.

Ingestion announces the posts whose snapshots it wrote (`metrics_written`, inside its
transaction); their settled rows are recomputed at once, for every settle-day count the settings
use. Bulk loads that bypass ingestion's service (the demo generator, benchmarks) call
`settled_refresh()` for everything afterwards.
"""

from collections.abc import Iterable
from itertools import batched
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from mediamatrix.indices.facts import settled_join
from mediamatrix.indices.models import SettledMetrics
from mediamatrix.ingestion.models import METRIC_FIELDS, Post

CHUNK = 500  # post ids per statement: well inside SQLite's limit on parameters


def settle_days_in_use() -> list[int]:
    return sorted(set(settings.MEDIAMATRIX_INDEX_SETTLE_DAYS.values()))


def settled_refresh(post_ids: Iterable[int] | None = None) -> None:
    """Recompute the settled rows of these posts (None: of every post)."""
    with transaction.atomic():
        if post_ids is None:
            SettledMetrics.objects.all().delete()
            for days in settle_days_in_use():
                _insert(days, None)
            return
        for chunk in batched(sorted(set(post_ids)), CHUNK):
            SettledMetrics.objects.filter(post_id__in=chunk).delete()
            for days in settle_days_in_use():
                _insert(days, list(chunk))


def _insert(days: int, post_ids: list[int] | None) -> None:
    join, join_params, aliases = settled_join(days)
    values = ", ".join(_first_of(aliases, m) for m in METRIC_FIELDS)
    found = " OR ".join(f"{alias}.id IS NOT NULL" for alias in aliases)
    where = f"({found})"
    params: list[Any] = [days, *join_params]
    if post_ids is not None:
        where += f" AND p.id IN ({', '.join(['%s'] * len(post_ids))})"
        params += post_ids
    sql = f"""
        INSERT INTO {SettledMetrics._meta.db_table} (post_id, settle_days, {", ".join(METRIC_FIELDS)})
        SELECT p.id, %s, {values}
        FROM {Post._meta.db_table} p {join}
        WHERE {where}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _first_of(aliases: tuple[str, ...], metric: str) -> str:
    columns = [f"{alias}.{metric}" for alias in aliases]
    return columns[0] if len(columns) == 1 else f"COALESCE({', '.join(columns)})"


def on_metrics_written(sender: Any = None, *, post_ids: list[int], **kwargs: Any) -> None:
    """Receiver of ingestion's `metrics_written`: keep the settled rows current."""
    settled_refresh(post_ids)
