"""What the formulas read: per-account aggregates of a period's posts, from the database.

Each post counts with its metrics as they stood a configured number of days after publishing
(the latest snapshot up to then; failing that the earliest snapshot; failing that the post's own
figures). Those settled figures are stored, one row per post and settle-day count, as ingestion
writes posts (`SettledMetrics`, kept by `indices.settled`), so a period is
one aggregate over that table, which also gathers each account's publishing days. One query
adds followers and the last update before the period; one the standing review decisions.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, When

from mediamatrix.engines.indices import Period
from mediamatrix.engines.indices import get as get_formula
from mediamatrix.indices.models import SettledMetrics
from mediamatrix.ingestion.models import AccountSnapshot, Post
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
    for row in _metric_sums(start, end, settle, period):
        item = facts.get(row["account_id"])
        if item is not None:
            _apply_sums(item, row, period.start)
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


def _platforms_reading(key: str) -> list[str]:
    """Platforms whose ranking formula (by the settings) has the input `key`."""
    return [
        platform
        for platform in Platform.values
        if key
        in get_formula(
            settings.MEDIAMATRIX_INDEX_FORMULAS.get(
                platform, settings.MEDIAMATRIX_INDEX_DEFAULT_FORMULA
            )
        ).input_keys()
    ]


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
    # Followers gained only matter to formulas that read them (Fg: the video indices).
    f_start = Case(
        When(platform__in=_platforms_reading("Fg"), then=followers_before(start)), default=None
    )
    rows = accounts.annotate(
        f_end=followers_before(end), f_start=f_start, last_before=last_before
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


# What the formulas read of a period's posts (docs/indices.md): every total, the peaks and the
# headline totals they use; `AccountFacts` keeps 0 for the rest.
PEAKS = ("reads", "wows", "likes", "plays", "interactions")
HEADLINES = ("reads", "wows", "likes", "plays")


MASK_DAYS = 62  # periods up to two months gather publishing days as bits of one integer


def _distinct_days(first: date, days: int) -> tuple[str, list[Any]]:
    """The account's publishing days, gathered in the same pass: as a bitmask of days since
    `first` for periods up to two months (no sort needed), else as a list of days."""
    postgres = connection.vendor == "postgresql"
    if days <= MASK_DAYS:
        if postgres:
            return "bit_or(1::bigint << (local_day - %s::date))", [first]
        return "SUM(DISTINCT 1 << CAST(julianday(local_day) - julianday(%s) AS INTEGER))", [first]
    if postgres:
        return "array_agg(DISTINCT local_day)", []
    return "group_concat(DISTINCT local_day)", []


def _days(value: Any, first: date) -> list[date]:
    if value is None:
        return []
    if isinstance(value, int):  # a bitmask: bit n is the day n days after `first`
        return [first + timedelta(days=n) for n in range(value.bit_length()) if value >> n & 1]
    if isinstance(value, str):  # SQLite: "2026-10-01,2026-10-03"
        return [date.fromisoformat(part) for part in value.split(",")]
    return list(value)


def _metric_sums(
    start: datetime, end: datetime, settle_days: int, period: Period
) -> list[dict[str, Any]]:
    """One aggregate over the period's settled rows (one per post), grouped by account."""
    table = SettledMetrics._meta.db_table
    # The rows hold reads as counted (10万+ cap applied) and likes + comments + shares.
    column = {m: m for m in METRICS} | {"reads": "counted_reads", "interactions": "interactions"}
    aggregates = [f"SUM({column[m]}) AS total_{m}" for m in SUMMED]
    aggregates += [f"MAX({column[m]}) AS peak_{m}" for m in PEAKS]
    aggregates += [f"SUM({column[m]}) FILTER (WHERE position = 1) AS head_{m}" for m in HEADLINES]
    days_sql, params = _distinct_days(period.start, period.days)
    sql = f"""
        SELECT account_id, COUNT(*) AS posts, {days_sql} AS days,
               COUNT(*) FILTER (WHERE position = 1) AS headlines,
               COUNT(*) FILTER (WHERE is_original) AS originals,
               {", ".join(aggregates)}
        FROM {table}
        WHERE settle_days = %s AND published_at >= %s AND published_at < %s
        GROUP BY account_id
    """
    adapt = connection.ops.adapt_datetimefield_value
    params += [settle_days, adapt(start), adapt(end)]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Compiling this statement just in time costs more than it saves; LOCAL: for this
            # transaction only.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _apply_sums(item: AccountFacts, row: dict[str, Any], first: date) -> None:
    item.posts = int(row["posts"])
    item.post_days = _days(row["days"], first)
    item.headlines = int(row["headlines"] or 0)
    item.originals = int(row["originals"] or 0)
    for metric in SUMMED:
        item.total[metric] = int(row[f"total_{metric}"] or 0)
    for metric in PEAKS:
        item.peak[metric] = int(row[f"peak_{metric}"] or 0)
    for metric in HEADLINES:
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
