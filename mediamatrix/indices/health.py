"""Inspection health (巡查健康): the named lists the 2019 State Council criteria ask offices for.

An account that has not updated for 14 days is dormant (僵尸号), a single-veto item (单项否决).
Beyond that the office wants the long-dormant accounts, those that should be closed or merged,
units with several accounts on one platform, and closed accounts that still publish. Every
entry says since when the problem has held, so a bulletin can name it with a date.

One implementation serves a user (scoped by their units) and the system (bulletins, no user).
It runs a fixed handful of queries whatever the number of accounts.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import CharField, Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Substr
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mediamatrix.core.models import AuditEvent
from mediamatrix.core.tree import subtree_q
from mediamatrix.engines.indices import DORMANT_AFTER_DAYS
from mediamatrix.orgs.access import access_object
from mediamatrix.orgs.choices import AccountStatus
from mediamatrix.orgs.models import Account, Unit
from mediamatrix.orgs.selectors import account_list, registry_health, unit_roots
from mediamatrix.review.outcomes import serious_errors

FILED = (AccountStatus.ACTIVE, AccountStatus.DORMANT)  # in the matrix: filed and not closed

DORMANT = "dormant"
LONG_DORMANT = "long_dormant"
SHOULD_CLOSE = "should_close"
DUPLICATES = "duplicates"
REVIEW_VETOES = "review_vetoes"


@dataclass(frozen=True)
class HealthEntry:
    account: Account
    unit: Unit | None  # the owner; None for an account no unit owns
    since: date  # the first day the problem held
    days: int  # days from `since` to today, both counted (as engines.indices.Spell.days)
    last_update: date | None  # the last post's day; None: never posted
    idle_days: int  # days since the last update, or since registration when never posted
    reason: Promise | str = ""  # why the entry is listed, where a list has several grounds


@dataclass(frozen=True)
class HealthList:
    key: str
    title: Promise | str
    entries: list[HealthEntry]
    single_veto: bool = False
    pending: bool = False  # the data behind this list does not exist yet; entries stay empty
    message: Promise | str = ""

    def __len__(self) -> int:
        return len(self.entries)


@dataclass(frozen=True)
class UnitHealth:
    """Counts for one child unit's subtree (or, with `own`, the scope unit's own accounts)."""

    unit: Unit
    accounts: int
    dormant: int
    long_dormant: int
    duplicates: int
    own: bool = False


@dataclass(frozen=True)
class HealthReport:
    scope: Unit | None
    today: date
    accounts: int  # filed, non-closed accounts in scope
    dormant: HealthList
    long_dormant: HealthList
    should_close: HealthList
    duplicates: HealthList
    review_vetoes: HealthList
    units: list[UnitHealth]

    @property
    def lists(self) -> list[HealthList]:
        return [
            self.dormant,
            self.long_dormant,
            self.should_close,
            self.duplicates,
            self.review_vetoes,
        ]

    @property
    def dormant_rate(self) -> float | None:
        return len(self.dormant) / self.accounts if self.accounts else None


class _SystemViewer:
    """The system reads the whole registry, as a superuser would: the registry's own selectors
    then serve bulletins unchanged, with no user behind them."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    pk = None


SYSTEM_VIEWER = _SystemViewer()


def health_report(
    user: Any, *, scope: Unit | None = None, today: date | None = None
) -> HealthReport:
    """The health lists of the accounts `user` can see inside `scope` (None: all they see).

    A scope outside the user's sight raises Http404.
    """
    if scope is not None:
        access_object(user, scope.path)
    return _report(user, scope, today or timezone.localdate())


def health_report_for_scope(scope: Unit, *, today: date | None = None) -> HealthReport:
    """The same lists for the system (bulletins, jobs): every account in `scope`'s subtree."""
    return _report(SYSTEM_VIEWER, scope, today or timezone.localdate())


# The report -----------------------------------------------------------------------------------


def _report(viewer: Any, scope: Unit | None, today: date) -> HealthReport:
    accounts = account_list(viewer)
    if scope is not None:
        accounts = accounts.filter(subtree_q("owner_path", [scope.path]))
    long_days: int = settings.MEDIAMATRIX_HEALTH_LONG_DORMANT_DAYS
    close_days: int = settings.MEDIAMATRIX_HEALTH_CLOSE_AFTER_DAYS
    idle = [_Idle.of(a, today) for a in _idle_candidates(accounts, today)]
    dormant = _over(idle, DORMANT_AFTER_DAYS, today)
    long_dormant = _over(idle, long_days, today)
    registry = registry_health(viewer)
    duplicates = _duplicates(registry.duplicate_platforms, scope, today)
    should_close = _should_close(idle, close_days, today) + _closed_posting(
        registry.closed_but_posting, scope, today
    )
    units = _unit_summaries(viewer, scope, accounts, dormant, long_dormant, duplicates)
    return HealthReport(
        scope=scope,
        today=today,
        accounts=accounts.filter(status__in=FILED).count(),
        dormant=HealthList(DORMANT, _("僵尸号（连续14天未更新）"), dormant, single_veto=True),
        long_dormant=HealthList(
            LONG_DORMANT, _("长期未更新（%(days)d天以上）") % {"days": long_days}, long_dormant
        ),
        should_close=HealthList(SHOULD_CLOSE, _("建议关停整合"), _sorted(should_close)),
        duplicates=HealthList(DUPLICATES, _("一单位一平台多账号"), duplicates),
        review_vetoes=HealthList(
            REVIEW_VETOES,
            _("审核否决（严重表述错误）"),
            _review_vetoes(accounts, today),
            single_veto=True,
            message=_("近%(days)d天内经审核确认、未被申诉撤销的严重表述错误")
            % {"days": settings.MEDIAMATRIX_HEALTH_VETO_WINDOW_DAYS},
        ),
        units=units,
    )


def _review_vetoes(accounts: QuerySet[Account], today: date) -> list[HealthEntry]:
    """Accounts with a standing decision on a serious wrong statement within the window."""
    window: int = settings.MEDIAMATRIX_HEALTH_VETO_WINDOW_DAYS
    decisions = (
        serious_errors()
        .filter(
            post__account__in=accounts,
            decided_at__gte=_start_of(today - timedelta(days=window - 1)),
        )
        .select_related("post__account__owner")
        .order_by("post__account__owner_path", "decided_at")
    )
    entries: dict[int, HealthEntry] = {}
    for decision in decisions:
        account = decision.post.account
        if account.pk in entries:
            continue  # the first decision in the window says since when
        last = _day(account.last_post_at) if account.last_post_at else None
        since = _day(decision.decided_at)
        entries[account.pk] = HealthEntry(
            account=account,
            unit=account.owner,
            since=since,
            days=(today - since).days + 1,
            last_update=last,
            idle_days=(today - last).days if last else (today - _registered(account)).days,
            reason=_("《%(title)s》") % {"title": decision.post.title},
        )
    return list(entries.values())


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _day(moment: datetime) -> date:
    return timezone.localtime(moment, _zone()).date()


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=_zone())


def _registered(account: Account) -> date:
    return _day(account.filed_at or account.created_at)


def _idle_candidates(accounts: QuerySet[Account], today: date) -> QuerySet[Account]:
    """Filed accounts with no post in the last 14 days (or none ever), and every registered-
    dormant one, annotated with when it was last marked dormant (None: no record says)."""
    quiet_since = _start_of(today - timedelta(days=DORMANT_AFTER_DAYS - 1))
    marked = AuditEvent.objects.filter(
        object_type="orgs.account",
        object_id=Cast(OuterRef("pk"), CharField()),
        verb="account.dormant",
    ).order_by("-occurred_at")
    return (
        accounts.filter(status__in=FILED)
        .filter(
            Q(last_post_at__lt=quiet_since)
            | Q(last_post_at__isnull=True)
            | Q(status=AccountStatus.DORMANT)
        )
        .annotate(marked_dormant_at=Subquery(marked.values("occurred_at")[:1]))
        .order_by("owner_path", "platform", "name")
    )


@dataclass(frozen=True)
class _Idle:
    account: Account
    last_update: date | None
    quiet_from: date  # the last update, or registration when never posted
    marked_dormant: date | None
    today: date

    @classmethod
    def of(cls, account: Account, today: date) -> "_Idle":
        last = _day(account.last_post_at) if account.last_post_at else None
        marked = getattr(account, "marked_dormant_at", None)
        return cls(
            account=account,
            last_update=last,
            quiet_from=last if last is not None else _registered(account),
            marked_dormant=_day(marked) if marked else None,
            today=today,
        )

    def entry(self, since: date, reason: Promise | str = "") -> HealthEntry:
        return HealthEntry(
            account=self.account,
            unit=self.account.owner,
            since=since,
            days=(self.today - since).days + 1,
            last_update=self.last_update,
            idle_days=(self.today - self.quiet_from).days,
            reason=reason,
        )


def _over(idle: Iterable[_Idle], threshold: int, today: date) -> list[HealthEntry]:
    """Accounts with no update for at least `threshold` days; since = quiet_from + threshold."""
    entries = []
    for item in idle:
        since = item.quiet_from + timedelta(days=threshold)
        if since <= today:
            entries.append(item.entry(since))
    return _sorted(entries)


def _should_close(idle: Iterable[_Idle], close_days: int, today: date) -> list[HealthEntry]:
    """No update for `close_days`, or registered dormant that long: whichever came first."""
    entries = []
    for item in idle:
        grounds = [(item.quiet_from + timedelta(days=close_days), _("长期未更新"))]
        if item.account.status == AccountStatus.DORMANT and item.marked_dormant is not None:
            grounds.append((item.marked_dormant + timedelta(days=close_days), _("长期登记为休眠")))
        since, reason = min(grounds, key=lambda ground: ground[0])
        if since <= today:
            entries.append(item.entry(since, reason))
    return entries


def _in_scope(path: str, scope: Unit | None) -> bool:
    return scope is None or path.startswith(scope.path)


def _closed_posting(
    accounts: Iterable[Account], scope: Unit | None, today: date
) -> list[HealthEntry]:
    """Closed accounts that published after their closure (from the registry's health check);
    since = the day of closure."""
    entries = []
    for account in accounts:
        if not _in_scope(account.owner_path, scope) or account.closed_at is None:
            continue
        item = _Idle.of(account, today)
        entries.append(item.entry(_day(account.closed_at), _("注销后仍在发布")))
    return entries


def _duplicates(groups: Iterable[Any], scope: Unit | None, today: date) -> list[HealthEntry]:
    """Every account of a unit's duplicated platform; since = the day the second one was
    registered, when the unit began to hold more than one."""
    entries = []
    for group in groups:
        if not _in_scope(group.unit.path, scope):
            continue
        since = sorted(_registered(a) for a in group.accounts)[1]
        for account in group.accounts:
            entries.append(_Idle.of(account, today).entry(since))
    return entries


def _sorted(entries: list[HealthEntry]) -> list[HealthEntry]:
    """Oldest problem first; then by unit, as an office reads its tree."""
    return sorted(entries, key=lambda e: (e.since, e.account.owner_path, e.account.name))


# Per-unit summary -------------------------------------------------------------------------------


def _unit_summaries(
    viewer: Any,
    scope: Unit | None,
    accounts: QuerySet[Account],
    dormant: list[HealthEntry],
    long_dormant: list[HealthEntry],
    duplicates: list[HealthEntry],
) -> list[UnitHealth]:
    """One row per child of the scope (per top unit without one), plus the scope's own
    accounts when it has any: the data of the per-unit chart."""
    if scope is None:
        units = list(unit_roots(viewer).order_by("path"))
    else:
        units = [scope, *scope.children.order_by("path")]
    if not units:
        return []
    filed = _filed_counts(accounts, units)
    rows = []
    for unit in units:
        own = unit == scope

        def count(entries: list[HealthEntry], unit: Unit = unit, own: bool = own) -> int:
            return sum(1 for e in entries if _belongs(e.account.owner_path, unit, own))

        row = UnitHealth(
            unit=unit,
            accounts=filed.get((unit.path, own), 0),
            dormant=count(dormant),
            long_dormant=count(long_dormant),
            duplicates=count(duplicates),
            own=own,
        )
        if not own or row.accounts or row.duplicates:
            rows.append(row)
    return rows


def _belongs(path: str, unit: Unit, own: bool) -> bool:
    return path == unit.path if own else path.startswith(unit.path)


def _filed_counts(accounts: QuerySet[Account], units: list[Unit]) -> dict[tuple[str, bool], int]:
    """Filed accounts per (unit path, own) in one grouped query per path length."""
    counts: dict[tuple[str, bool], int] = defaultdict(int)
    filed = accounts.filter(status__in=FILED)
    for length in sorted({len(u.path) for u in units}):
        rows = (
            filed.filter(subtree_q("owner_path", [u.path for u in units if len(u.path) == length]))
            .annotate(root=Substr("owner_path", 1, length))
            .values("root", "owner_path")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            counts[(row["root"], False)] += row["n"]
            if row["owner_path"] == row["root"]:
                counts[(row["root"], True)] += row["n"]
    return counts
