"""Keeping each post's settled metrics (`SettledMetrics`) in step with the post and its snapshots.

Ingestion announces the posts it wrote (`posts_written`, inside its transaction: new posts,
changed posts, new snapshots); their settled rows are recomputed at once, for every settle-day
count the settings use. Bulk loads that bypass ingestion's service (the demo generator,
benchmarks) call `settled_refresh()` for everything afterwards.
"""

from collections.abc import Iterable
from itertools import batched
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from mediamatrix.indices.models import SettledMetrics
from mediamatrix.ingestion.models import METRIC_FIELDS, MetricSnapshot, Post
from mediamatrix.orgs.choices import Platform

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


def settled_join(settle_days: int) -> tuple[str, list[Any], tuple[str, ...]]:
    """SQL joining each post `p` to its latest snapshot at most `settle_days` after publishing,
    or failing that its earliest; with the aliases to take the metrics from, in order."""
    snapshot = MetricSnapshot._meta.db_table
    if connection.vendor == "postgresql":
        # LATERAL makes one index probe per post (two when the first finds nothing); a join on
        # correlated subqueries gets a plan that hashes the whole snapshot table instead.
        columns = ", ".join(f"s1.{m}" for m in ("id", *METRIC_FIELDS))
        return (
            f"""
            LEFT JOIN LATERAL (
                SELECT {columns} FROM {snapshot} s1
                WHERE s1.post_id = p.id
                  AND s1.captured_at <= p.published_at + make_interval(days => %s)
                ORDER BY s1.captured_at DESC LIMIT 1) s ON TRUE
            LEFT JOIN LATERAL (
                SELECT {columns} FROM {snapshot} s1
                WHERE s.id IS NULL AND s1.post_id = p.id
                ORDER BY s1.captured_at LIMIT 1) f ON TRUE""",
            [settle_days],
            ("s", "f"),
        )
    return (
        f"""
            LEFT JOIN {snapshot} s ON s.id = COALESCE(
                (SELECT s1.id FROM {snapshot} s1
                  WHERE s1.post_id = p.id AND s1.captured_at <= datetime(p.published_at, %s)
                  ORDER BY s1.captured_at DESC LIMIT 1),
                (SELECT s2.id FROM {snapshot} s2
                  WHERE s2.post_id = p.id ORDER BY s2.captured_at LIMIT 1))""",
        [f"+{settle_days} days"],
        ("s",),
    )


def _insert(days: int, post_ids: list[int] | None) -> None:
    join, join_params, aliases = settled_join(days)
    first = {m: _first_of((*aliases, "p"), m) for m in METRIC_FIELDS}
    values = ", ".join(first.values())
    cap = settings.MEDIAMATRIX_INDEX_WECHAT_READS_CAP
    counted = first["reads"]
    cap_params: list[Any] = []
    if cap is not None:
        counted = f"CASE WHEN p.platform = %s AND {counted} > %s THEN %s ELSE {counted} END"
        cap_params = [Platform.WECHAT_OA, cap, cap]
    interactions = f"{first['likes']} + {first['comments']} + {first['shares']}"
    day_sql, day_params = connection.ops.datetime_cast_date_sql(
        "p.published_at", (), settings.TIME_ZONE
    )
    params: list[Any] = [days, *day_params, *cap_params, *join_params]
    where = ""
    if post_ids is not None:
        where = f"WHERE p.id IN ({', '.join(['%s'] * len(post_ids))})"
        params += post_ids
    columns = (
        "post_id, settle_days, account_id, platform, published_at, local_day, position, "
        "is_original, counted_reads, interactions"
    )
    sql = f"""
        INSERT INTO {SettledMetrics._meta.db_table} ({columns}, {", ".join(METRIC_FIELDS)})
        SELECT p.id, %s, p.account_id, p.platform, p.published_at, {day_sql}, p.position,
               p.is_original, {counted}, {interactions}, {values}
        FROM {Post._meta.db_table} p {join}
        {where}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _first_of(aliases: tuple[str, ...], metric: str) -> str:
    columns = [f"{alias}.{metric}" for alias in aliases]
    return columns[0] if len(columns) == 1 else f"COALESCE({', '.join(columns)})"


def on_posts_written(sender: Any = None, *, post_ids: list[int], **kwargs: Any) -> None:
    """Receiver of ingestion's `posts_written`: keep the settled rows current."""
    settled_refresh(post_ids)
