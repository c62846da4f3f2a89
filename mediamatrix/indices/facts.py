"""What the formulas read: per-account aggregates of a period's posts, from the database.

One SQL aggregate takes every post published in the period with its metrics as they stood a
configured number of days after publishing (the latest snapshot up to then; failing that the
earliest snapshot; failing that the post's own figures) and sums them per account. The settled
figures are stored per post as snapshots arrive (`SettledMetrics`, see `indices.settled`, which
uses `settled_join` to compute them), so the aggregate reads one row per post. Two light
queries add the days each account published on and its followers; nothing else is read.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate

from mediamatrix.engines.indices import Period
from mediamatrix.indices.models import SettledMetrics
from mediamatrix.ingestion.models import METRIC_FIELDS, AccountSnapshot, MetricSnapshot, Post
from mediamatrix.orgs.choices import AccountStatus, Platform
from mediamatrix.orgs.models import Account
from mediamatrix.review.outcomes import standing_decisions

METRICS = ("reads", "wows", "likes", "comments", "shares", "plays")
SUMMED = (*METRICS, "interactions")


@dataclass
class AccountFacts:
    """Everything the formulas and the four forces need to know about one account's period."""

    account_id: int
    platform: str
    category: str
    owner_id: int | None
    owner_path: str
    owner_level: int | None = None
    followers: int = 0
    followers_gained: int = 0
    posts: int = 0
    headlines: int = 0
    originals: int = 0
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SUMMED, 0))
    peak: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SUMMED, 0))
    headline_total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SUMMED, 0))
    post_days: list[date] = field(default_factory=list)
    last_before: date | None = None
    standing_decisions: int = 0  # review decisions against its posts, decided in the period
    registered_on: date | None = None


def local_bounds(period: Period) -> tuple[datetime, datetime]:
    """The period's first instant and the instant after its last, in the office's time zone."""
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(period.start, time.min, tzinfo=zone)
    return start, datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=zone)


def ranked_accounts(period: Period) -> QuerySet[Account]:
    """Accounts that belong in a period's ranking: filed and not closed before it began."""
    start, end = local_bounds(period)
    return (
        Account.objects.exclude(status=AccountStatus.PENDING)
        .exclude(status=AccountStatus.CLOSED, closed_at__lt=start)
        .filter(Q(created_at__lt=end) | Q(filed_at__lt=end))
    )


def account_facts(
    period: Period, *, accounts: QuerySet[Account] | None = None
) -> dict[int, AccountFacts]:
    accounts = ranked_accounts(period) if accounts is None else accounts
    start, end = local_bounds(period)
    zone = ZoneInfo(settings.TIME_ZONE)
    facts = _account_rows(accounts, start, end, zone)
    if not facts:
        return facts
    settle = settings.MEDIAMATRIX_INDEX_SETTLE_DAYS.get(period.kind, 7)
    for row in _metric_sums(start, end, settle):
        item = facts.get(row["account_id"])
        if item is not None:
            _apply_sums(item, row)
    days = (
        Post.objects.filter(published_at__gte=start, published_at__lt=end)
        .annotate(day=TruncDate("published_at", tzinfo=zone))
        .values_list("account_id", "day")
        .distinct()
        .order_by()
    )
    for account_id, day in days:
        item = facts.get(account_id)
        if item is not None:
            item.post_days.append(day)
    decided = (
        standing_decisions()
        .filter(decided_at__gte=start, decided_at__lt=end)
        .values_list("post__account_id")
        .annotate(n=Count("pk"))
    )
    for account_id, count in decided:
        item = facts.get(account_id)
        if item is not None:
            item.standing_decisions = count
    return facts


def _account_rows(
    accounts: QuerySet[Account], start: datetime, end: datetime, zone: ZoneInfo
) -> dict[int, AccountFacts]:
    def followers_before(moment: datetime) -> Subquery:
        return Subquery(
            AccountSnapshot.objects.filter(account=OuterRef("pk"), captured_at__lt=moment)
            .order_by("-captured_at")
            .values("followers")[:1]
        )

    last_before = Subquery(
        Post.objects.filter(account=OuterRef("pk"), published_at__lt=start)
        .order_by("-published_at")
        .values("published_at")[:1]
    )
    rows = accounts.annotate(
        f_end=followers_before(end), f_start=followers_before(start), last_before=last_before
    ).values(
        "pk", "platform", "category", "owner_id", "owner_path", "owner__level", "followers",
        "f_end", "f_start", "last_before", "created_at", "filed_at",
    )  # fmt: skip
    facts: dict[int, AccountFacts] = {}
    for row in rows.order_by():
        followers = row["f_end"] if row["f_end"] is not None else row["followers"]
        gained = max(0, followers - row["f_start"]) if row["f_start"] is not None else 0
        registered = row["filed_at"] or row["created_at"]
        facts[row["pk"]] = AccountFacts(
            account_id=row["pk"],
            platform=row["platform"],
            category=row["category"],
            owner_id=row["owner_id"],
            owner_path=row["owner_path"],
            owner_level=row["owner__level"],
            followers=followers,
            followers_gained=gained,
            last_before=row["last_before"].astimezone(zone).date() if row["last_before"] else None,
            registered_on=registered.astimezone(zone).date() if registered else None,
        )
    return facts


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


def _stored_settled(settle_days: int) -> tuple[str, list[Any], tuple[str, ...]]:
    """SQL joining each post `p` to its stored settled metrics (`indices.settled` keeps them)."""
    table = SettledMetrics._meta.db_table
    return (
        f"LEFT JOIN {table} sm ON sm.post_id = p.id AND sm.settle_days = %s",
        [settle_days],
        ("sm",),
    )


def _metric_sums(start: datetime, end: datetime, settle_days: int) -> list[dict[str, Any]]:
    post = Post._meta.db_table
    join, join_params, aliases = _stored_settled(settle_days)
    cap = settings.MEDIAMATRIX_INDEX_WECHAT_READS_CAP
    settled = {m: f"COALESCE({', '.join(f'{a}.{m}' for a in (*aliases, 'p'))})" for m in METRICS}
    reads = settled["reads"]
    if cap is not None:
        reads = f"CASE WHEN p.platform = %s AND {reads} > %s THEN %s ELSE {reads} END"
    sql = f"""
        SELECT x.account_id, COUNT(*) AS posts,
               SUM(CASE WHEN x.position = 1 THEN 1 ELSE 0 END) AS headlines,
               SUM(CASE WHEN x.is_original THEN 1 ELSE 0 END) AS originals,
               {
        ", ".join(
            f"SUM(x.{m}) AS total_{m}, MAX(x.{m}) AS peak_{m}, "
            f"SUM(CASE WHEN x.position = 1 THEN x.{m} ELSE 0 END) AS head_{m}"
            for m in SUMMED
        )
    }
        FROM (
            SELECT p.account_id, p.position, p.is_original,
                   {reads} AS reads,
                   {settled["wows"]} AS wows,
                   {settled["likes"]} AS likes,
                   {settled["comments"]} AS comments,
                   {settled["shares"]} AS shares,
                   {settled["plays"]} AS plays,
                   {settled["likes"]} + {settled["comments"]} + {settled["shares"]} AS interactions
            FROM {post} p {join}
            WHERE p.published_at >= %s AND p.published_at < %s
        ) x
        GROUP BY x.account_id
    """
    params: list[Any] = [Platform.WECHAT_OA, cap, cap] if cap is not None else []
    adapt = connection.ops.adapt_datetimefield_value
    params += [*join_params, adapt(start), adapt(end)]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Compiling this statement just in time costs more than it saves (0.1–0.4 s on the
            # benchmark's month); LOCAL: for this transaction only.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _apply_sums(item: AccountFacts, row: dict[str, Any]) -> None:
    item.posts = int(row["posts"])
    item.headlines = int(row["headlines"] or 0)
    item.originals = int(row["originals"] or 0)
    for metric in SUMMED:
        item.total[metric] = int(row[f"total_{metric}"] or 0)
        item.peak[metric] = int(row[f"peak_{metric}"] or 0)
        item.headline_total[metric] = int(row[f"head_{metric}"] or 0)


def posts_behind(account_id: int, period: Period) -> QuerySet[Post]:
    """The posts an account's score was made from, newest first."""
    start, end = local_bounds(period)
    return Post.objects.filter(
        account_id=account_id, published_at__gte=start, published_at__lt=end
    ).order_by("-published_at", "-id")


def group_by_platform(facts: dict[int, AccountFacts]) -> dict[str, list[AccountFacts]]:
    grouped: dict[str, list[AccountFacts]] = defaultdict(list)
    for item in facts.values():
        grouped[item.platform].append(item)
    return grouped
